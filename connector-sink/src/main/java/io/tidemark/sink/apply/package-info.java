/**
 * The write path: {@code SinkWriter} (the task without Connect) buffers records into a pending
 * batch, {@code FlushPipeline} applies it on the applier thread through {@code BatchApplier} in one
 * transaction (COPY into staging, set-based merge, offsets, ledger, statuses, license), and the
 * small classes around them handle pauses, failures, the license gate and table stops. The table
 * lifecycle ({@code Lifecycle} and the classes it runs) follows the operator's requests and the
 * iterations from the control schema; {@code IterationCompleter} completes iterations, applying a
 * FULL one from the tables' durable stages ({@code DurableStage}) on a thread of its own.
 */
package io.tidemark.sink.apply;
