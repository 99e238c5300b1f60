/**
 * Tidemark's own tables in the target database: {@link io.tidemark.sink.control.ControlSchema}
 * creates and migrates them, {@link io.tidemark.sink.control.ControlTables} writes table states,
 * the iteration ledger and error rows.
 */
package io.tidemark.sink.control;
