/**
 * The write path: a {@link io.tidemark.sink.apply.SinkWriter} buffers and collapses change events,
 * and a {@link io.tidemark.sink.apply.BatchApplier} applies each batch in one transaction with its
 * Kafka offsets, the ledger and the {@link io.tidemark.sink.apply.FlushGuard}'s last word (license
 * metering). The edges are small interfaces: {@link io.tidemark.sink.apply.ConsumerControl},
 * {@link io.tidemark.sink.apply.ConnectionFactory}.
 */
package io.tidemark.sink.apply;
