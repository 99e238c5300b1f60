package io.tidemark.control.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.tidemark.sink.SinkPrecheck;

/**
 * What the bulk load needs to know of a source table, from PostgreSQL's catalog, read in the load's
 * snapshot. A table the load cannot copy exactly is refused with the reason, before anything is
 * written: no primary key (the sink needs one too), a column of a type outside {@code pg_catalog}
 * (an enum, a domain, an extension's type: its binary form and even its name may differ in the
 * target).
 */
final class SourceCatalog {

    private final SinkPrecheck names;

    SourceCatalog(SinkPrecheck names) {
        this.names = names;
    }

    /** @param source {@code schema.table}, as the sink's topics name it */
    LoadTable describe(Connection c, String source) throws SQLException {
        int dot = source.indexOf('.');
        if (dot < 0) {
            throw new BulkLoadException(source + ": the bulk load needs a schema-qualified table (schema.table)");
        }
        String schema = source.substring(0, dot);
        String table = source.substring(dot + 1);
        long oid;
        String kind;
        long pages;
        long estimated;
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid, c.relkind, pg_relation_size(c.oid) / "
                + "current_setting('block_size')::bigint, c.reltuples::bigint FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new BulkLoadException(source + ": no such table in the source");
                }
                oid = rs.getLong(1);
                kind = rs.getString(2);
                pages = rs.getLong(3);
                estimated = rs.getLong(4);
            }
        }
        if (!"r".equals(kind) && !"p".equals(kind)) {
            throw new BulkLoadException(source + ": not a table (relkind " + kind + ")");
        }
        List<LoadTable.Column> columns = columns(c, oid, source);
        List<String> key = key(c, oid);
        if (key.isEmpty()) {
            throw new BulkLoadException(source + ": no primary key; the sink applies changes by key, so the bulk load "
                    + "refuses it too (give it a primary key, or load it with Debezium's snapshot)");
        }
        boolean chunked = "r".equals(kind) && serverVersion(c) >= 140000; // TID range scans came with 14
        return new LoadTable(source, schema, table, names.target(source), columns, key, "p".equals(kind) ? 0 : pages,
                estimated, chunked);
    }

    private List<LoadTable.Column> columns(Connection c, long oid, String source) throws SQLException {
        List<LoadTable.Column> columns = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        // Generated columns are left out: logical decoding does not publish them, so the sink never writes them.
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
                + "true, t.typnamespace = 'pg_catalog'::regnamespace FROM pg_attribute a JOIN pg_type t "
                + "ON t.oid = a.atttypid WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped "
                + "AND a.attgenerated = '' ORDER BY a.attnum")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (!rs.getBoolean(4)) {
                        foreign.add(name + " " + rs.getString(2));
                    }
                    columns.add(new LoadTable.Column(name, names.targetColumn(source, name), rs.getString(2)));
                }
            }
        }
        if (!foreign.isEmpty()) {
            throw new BulkLoadException(source + ": columns of types that are not PostgreSQL's built-in ones: "
                    + String.join(", ", foreign) + ". The bulk load copies values in binary, which such types may not "
                    + "read back the same in the target; load this table with Debezium's snapshot");
        }
        return columns;
    }

    private static List<String> key(Connection c, long oid) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i, unnest(i.indkey) "
                + "WITH ORDINALITY AS k(attnum, ord), pg_attribute a WHERE i.indrelid = ? AND i.indisprimary "
                + "AND a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    private static int serverVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_setting('server_version_num')::int");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
