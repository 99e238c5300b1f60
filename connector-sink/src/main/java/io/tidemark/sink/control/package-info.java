/**
 * The control schema in the target database: its versioned migrations, and the facts the sink
 * writes there in the flush's transaction (partition and table statuses, the iteration ledger,
 * error rows).
 */
package io.tidemark.sink.control;
