/** Reading Kafka Connect records as changes: Debezium envelopes, tombstones, flattened rows and iteration markers. */
package io.tidemark.sink.record;
