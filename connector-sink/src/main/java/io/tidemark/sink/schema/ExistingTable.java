package io.tidemark.sink.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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

    /** Reads the table from the catalog; empty when it does not exist. */
    public static Optional<ExistingTable> read(Connection connection, TargetTable table) throws SQLException {
        return Optional.ofNullable(readAll(connection, List.of(table)).get(table));
    }

    private static final String ALL_COLUMNS_SQL = """
            SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                   a.attnotnull AND NOT a.atthasdef
              FROM pg_attribute a
              JOIN pg_class c ON c.oid = a.attrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest(?::text[], ?::text[]))
               AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY n.nspname, c.relname, a.attnum""";

    private static final String ALL_UNIQUE_KEYS_SQL = """
            SELECT n.nspname, c.relname, array_agg(a.attname::text ORDER BY k.ord)
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
             WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest(?::text[], ?::text[]))
               AND (i.indisprimary OR i.indisunique)
               AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indimmediate
             GROUP BY n.nspname, c.relname, i.indexrelid""";

    /**
     * The tables that exist of those asked for, read from the catalog in two statements whatever
     * their number: a batch of new tables costs two round trips, not two per table.
     */
    public static Map<TargetTable, ExistingTable> readAll(Connection connection, Collection<TargetTable> tables)
            throws SQLException {
        Map<TargetTable, ExistingTable> found = new HashMap<>();
        if (tables.isEmpty()) {
            return found;
        }
        String[] schemas = tables.stream().map(TargetTable::schema).toArray(String[]::new);
        String[] names = tables.stream().map(TargetTable::name).toArray(String[]::new);
        Map<TargetTable, Map<String, Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(ALL_COLUMNS_SQL)) {
            ps.setArray(1, connection.createArrayOf("text", schemas));
            ps.setArray(2, connection.createArrayOf("text", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(new TargetTable(rs.getString(1), rs.getString(2)), t -> new LinkedHashMap<>())
                            .put(rs.getString(3), new Column(rs.getString(3), PgColumnType.parse(rs.getString(4)),
                                    rs.getBoolean(5)));
                }
            }
        }
        Map<TargetTable, List<Set<String>>> keys = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(ALL_UNIQUE_KEYS_SQL)) {
            ps.setArray(1, connection.createArrayOf("text", schemas));
            ps.setArray(2, connection.createArrayOf("text", names));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(new TargetTable(rs.getString(1), rs.getString(2)), t -> new ArrayList<>())
                            .add(Set.of((String[]) rs.getArray(3).getArray()));
                }
            }
        }
        columns.forEach((table, cols) -> found.put(table, new ExistingTable(table, cols,
                keys.getOrDefault(table, List.of()))));
        return found;
    }
}
