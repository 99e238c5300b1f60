package io.tidemark.control.load;

import java.util.List;

import io.tidemark.sink.naming.TargetTable;

/**
 * A source table as the bulk load copies it.
 *
 * @param source        {@code schema.table} as the source names it (and the sink's {@code table_state})
 * @param columns       the columns the change stream carries, in the source's order
 * @param key           the primary key's source column names, in key order
 * @param pages         the table's size in pages when the load planned it (0 for a partitioned table)
 * @param estimatedRows the catalog's estimate (reltuples), -1 when never analyzed
 * @param chunked       whether it can be read in ctid ranges (a plain table on PostgreSQL 14 or later)
 */
record LoadTable(String source, String sourceSchema, String sourceName, TargetTable target, List<Column> columns,
                 List<String> key, long pages, long estimatedRows, boolean chunked) {

    /**
     * @param name       the source column
     * @param targetName the column as the sink names it in the target
     * @param type       {@code format_type()} of the source column: a built-in type, so the target takes it as it is
     */
    record Column(String name, String targetName, String type) {
    }
}
