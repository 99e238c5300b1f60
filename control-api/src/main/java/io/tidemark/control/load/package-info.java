/**
 * The bulk initial load (docs/bulk-load.md): a PostgreSQL source's tables copied into the target
 * database to database, in parallel chunks, all read in one snapshot fixed after Debezium's
 * streaming runs and before marker 0, so that the change stream from there on makes the target
 * exact at marker 0.
 */
package io.tidemark.control.load;
