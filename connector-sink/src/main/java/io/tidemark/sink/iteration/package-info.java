/**
 * Iterations as the sink sees them: which marker each partition has passed (and so to which
 * iteration its next records belong, and whether it holds there), the ledger of iterations in the
 * control schema as the flushes write it and as the coordinator reads and closes it, and the pure
 * decision whether an iteration is complete and when it is applied to every FULL table at once.
 */
package io.tidemark.sink.iteration;
