/** The source database as the control API uses it: the request table that asks for markers. */
package io.tidemark.control.source;
