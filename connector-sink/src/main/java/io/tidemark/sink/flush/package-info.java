/**
 * The flush transaction: {@code FlushPipeline} hands a batch to the applier thread, and
 * {@code BatchApplier} applies it in one transaction on the applier's session ({@code ApplierSession}):
 * tables prepared ({@code TablePreparation}), each table's rows ({@code TableRowsApplier}), error
 * rows, ledger, offsets under the claimed epoch ({@code PartitionsFenced} when another task owns
 * them), statuses and the license ({@code FlushGuard}); the outcome is a {@code FlushOutcome}.
 */
package io.tidemark.sink.flush;
