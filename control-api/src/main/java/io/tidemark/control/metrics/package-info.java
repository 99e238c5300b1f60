/** Prometheus text for {@code GET /metrics}, made from the projects' status at scrape time. */
package io.tidemark.control.metrics;
