/** The control API over HTTP: routes, bearer-token auth, request validation, the OpenAPI document. */
package io.tidemark.control.api;
