/**
 * Tidemark's PostgreSQL sink connector and task: thin, translating Kafka Connect's callbacks into
 * calls on the plain classes of the sub-packages (the write path in {@code apply}, metering in
 * {@code license}, configuration in {@code config}).
 */
package io.tidemark.sink;
