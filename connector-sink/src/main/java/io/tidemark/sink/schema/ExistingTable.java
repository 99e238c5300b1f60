package io.tidemark.sink.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidemark.sink.naming.TargetTable;
import io.tidemark.sink.types.PgColumnType;

/**
 * A target table as PostgreSQL's catalog describes it: columns with their types, and the column
 * sets of its primary key and unique indexes (what {@code ON CONFLICT} can use).
 */
public record ExistingTable(TargetTable table, Map<String, Column> columns, List<Set<String>> uniqueKeys) {

    /** @param notNullWithoutDefault a row without this column cannot be inserted */
    public record Column(String name, PgColumnType type, boolean notNullWithoutDefault) {
    }

    private static final String COLUMNS_SQL = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull AND NOT a.atthasdef
              FROM pg_attribute a
              JOIN pg_class c ON c.oid = a.attrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')
               AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum""";

    private static final String UNIQUE_KEYS_SQL = """
            SELECT array_agg(a.attname::text ORDER BY k.ord)
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
             WHERE n.nspname = ? AND c.relname = ? AND (i.indisprimary OR i.indisunique)
               AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indimmediate
             GROUP BY i.indexrelid""";

    /** Reads the table from the catalog; empty when it does not exist. */
    public static Optional<ExistingTable> read(Connection connection, TargetTable table) throws SQLException {
        Map<String, Column> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(COLUMNS_SQL)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), new Column(rs.getString(1), PgColumnType.parse(rs.getString(2)), rs.getBoolean(3)));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<Set<String>> uniqueKeys = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(UNIQUE_KEYS_SQL)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] names = (String[]) rs.getArray(1).getArray();
                    uniqueKeys.add(Set.of(names));
                }
            }
        }
        return Optional.of(new ExistingTable(table, columns, uniqueKeys));
    }
}
