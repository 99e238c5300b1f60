/**
 * The API's routes, one family per area: the service's own ({@code /health}, {@code /ready},
 * {@code /metrics}, the OpenAPI document), project reads, and project and table actions. A new area
 * (verification, cutover, a dashboard's static files) is one more family added in
 * {@link io.tidemark.control.api.ControlServer}.
 */
package io.tidemark.control.api.routes;
