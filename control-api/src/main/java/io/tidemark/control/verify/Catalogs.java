package io.tidemark.control.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tidemark.sink.types.SourceColumn;

/**
 * Reads both tables' columns and key from the catalogs and pairs them by name (case-insensitively:
 * the sink folds Oracle's upper-case names), each pair with its canonical form. The key is the
 * target's primary key (the sink made it from the source's key).
 */
final class Catalogs {

    private Catalogs() {
    }

    static TablePlan plan(Connection target, Connection source, boolean oracleSource, String sourceTable,
                          String targetTable, String mode) throws SQLException {
        Map<String, String> targetTypes = postgresColumns(target, targetTable);
        if (targetTypes.isEmpty()) {
            throw new SQLException("the target table " + targetTable + " does not exist or has no columns");
        }
        List<String> key = postgresKey(target, targetTable);
        Map<String, SourceColumn> sourceTypes = oracleSource ? oracleColumns(source, sourceTable)
                : asSource(postgresColumns(source, sourceTable));
        if (sourceTypes.isEmpty()) {
            throw new SQLException("the source table " + sourceTable + " does not exist, or this user cannot read it");
        }
        Map<String, String> sourceNames = new LinkedHashMap<>();
        sourceTypes.keySet().forEach(n -> sourceNames.put(n.toLowerCase(Locale.ROOT), n));
        List<TablePlan.Column> keys = new ArrayList<>();
        List<TablePlan.Column> others = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, String> t : targetTypes.entrySet()) {
            String sourceName = sourceNames.get(t.getKey().toLowerCase(Locale.ROOT));
            if (sourceName == null) {
                skipped.add(t.getKey() + ": not in the source table");
                continue;
            }
            SourceColumn s = sourceTypes.get(sourceName);
            try {
                Canonical canonical = oracleSource ? CanonicalForms.oracle(t.getValue(), s)
                        : CanonicalForms.postgres(t.getValue(), s.typeName());
                boolean text = t.getValue().startsWith("character") || t.getValue().equals("text");
                (key.contains(t.getKey()) ? keys : others).add(new TablePlan.Column(t.getKey(), sourceName, text, canonical,
                        t.getValue(), oracleSource ? null : s.typeName()));
            } catch (CanonicalForms.NoRule e) {
                if (key.contains(t.getKey())) {
                    throw new SQLException("the key column " + t.getKey() + " cannot be compared: " + e.getMessage());
                }
                skipped.add(t.getKey() + ": " + e.getMessage());
            }
        }
        keys.sort((a, b) -> Integer.compare(key.indexOf(a.target()), key.indexOf(b.target())));
        List<TablePlan.Column> columns = new ArrayList<>(keys);
        columns.addAll(others);
        return new TablePlan(sourceTable, targetTable, mode, qualified(sourceTable, oracleSource),
                qualified(targetTable, false), columns, keys.size(), skipped);
    }

    /** {@code schema.table} quoted as each side spells it (the sink creates lower-case target names). */
    static String qualified(String name, boolean oracle) {
        int dot = name.indexOf('.');
        String schema = dot < 0 ? null : name.substring(0, dot);
        String table = name.substring(dot + 1);
        SideSql sql = oracle ? SideSql.ORACLE : SideSql.POSTGRES;
        return (schema == null ? "" : sql.quote(schema) + ".") + sql.quote(table);
    }

    private static Map<String, String> postgresColumns(Connection c, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod)"
                + " FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace"
                + " WHERE n.nspname = ? AND r.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            String[] parts = split(table);
            ps.setString(1, parts[0]);
            ps.setString(2, parts[1]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    private static List<String> postgresKey(Connection c, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i"
                + " JOIN pg_class r ON r.oid = i.indrelid JOIN pg_namespace n ON n.oid = r.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = ANY (i.indkey)"
                + " WHERE n.nspname = ? AND r.relname = ? AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)")) {
            String[] parts = split(table);
            ps.setString(1, parts[0]);
            ps.setString(2, parts[1]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /** The columns as ALL_TAB_COLUMNS describes them: type, precision (or length), scale. */
    static final String ORACLE_COLUMNS = "SELECT column_name, data_type, NVL(data_precision, char_length), data_scale"
            + " FROM all_tab_columns WHERE owner = ? AND table_name = ? ORDER BY column_id";

    private static Map<String, SourceColumn> oracleColumns(Connection c, String table) throws SQLException {
        Map<String, SourceColumn> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(ORACLE_COLUMNS)) {
            String[] parts = split(table);
            ps.setString(1, parts[0]);
            ps.setString(2, parts[1]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), new SourceColumn(rs.getString(2), rs.getObject(3, Integer.class),
                            rs.getObject(4, Integer.class)));
                }
            }
        }
        return columns;
    }

    private static Map<String, SourceColumn> asSource(Map<String, String> pg) {
        Map<String, SourceColumn> out = new LinkedHashMap<>();
        pg.forEach((name, type) -> out.put(name, new SourceColumn(type, null, null)));
        return out;
    }

    private static String[] split(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? new String[] {"public", table} : new String[] {table.substring(0, dot), table.substring(dot + 1)};
    }
}
