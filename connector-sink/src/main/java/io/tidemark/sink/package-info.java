/**
 * The PostgreSQL sink connector: the thin Kafka Connect classes ({@code PostgresSinkConnector},
 * {@code PostgresSinkTask}). The work is done in the packages below, which tests reach without
 * Kafka; {@code docs/architecture.md} maps them to the design.
 */
package io.tidemark.sink;
