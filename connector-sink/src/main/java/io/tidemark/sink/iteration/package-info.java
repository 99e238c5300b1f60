/**
 * Iterations as the sink sees them: which marker each partition has passed (and so to which
 * iteration its next records belong, and whether it holds there), the ledger of iterations in the
 * control schema as the flushes write it and as the coordinator reads and closes it, the pure
 * decision whether an iteration is complete, and the FULL tables' durable stages
 * ({@code DurableStage}, {@code StageDirectory}) that {@code IterationCoordinator} applies on the
 * thread of {@code IterationCompleter}, or that {@code FullAborts} gives back.
 */
package io.tidemark.sink.iteration;
