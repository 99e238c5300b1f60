package io.tidemark.source.marker;

import java.util.Objects;

/**
 * Names of the marker objects in the source database, as the database stores them (folded by the
 * dialect: upper case in Oracle, lower case in PostgreSQL).
 *
 * @param schema       schema (Oracle: user) that holds them
 * @param markerTable  one row per iteration boundary; captured
 * @param sequence     numbers the iterations, from 0
 * @param requestTable on-demand requests (close now, final iteration); not captured
 */
public record MarkerTables(String schema, String markerTable, String sequence, String requestTable) {

    public MarkerTables {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(markerTable, "markerTable");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(requestTable, "requestTable");
    }

    public String qualifiedMarkerTable() {
        return schema + "." + markerTable;
    }

    public String qualifiedSequence() {
        return schema + "." + sequence;
    }

    public String qualifiedRequestTable() {
        return schema + "." + requestTable;
    }

    public boolean isMarkerTable(String schemaName, String tableName) {
        return schema.equals(schemaName) && markerTable.equals(tableName);
    }

    public boolean isRequestTable(String schemaName, String tableName) {
        return schema.equals(schemaName) && requestTable.equals(tableName);
    }
}
