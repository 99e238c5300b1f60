/**
 * The write path: {@code SinkWriter} (the task without Connect) buffers records into a pending
 * batch, {@code FlushPipeline} applies it on the applier thread through {@code BatchApplier} in one
 * transaction (COPY into staging, set-based merge, offsets, ledger, statuses, license), and the
 * small classes around them handle pauses, failures, the license gate and table stops.
 */
package io.tidemark.sink.apply;
