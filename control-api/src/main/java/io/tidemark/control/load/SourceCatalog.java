package io.tidemark.control.load;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.sink.SinkPrecheck;

/**
 * What the bulk load needs to know of its source tables, from PostgreSQL's catalog, read in the
 * load's snapshot: three queries for all the tables (a thousand tables would otherwise cost four
 * thousand round trips). A table the load cannot copy exactly is refused with the reason, before
 * anything is written: no primary key (the sink needs one too), a column of a type outside
 * {@code pg_catalog} (an enum, a domain, an extension's type: its binary form and even its name
 * may differ in the target).
 */
final class SourceCatalog {

    private record Relation(long oid, String kind, long pages, long estimated) {
    }

    private record Column(String name, String type, boolean builtIn) {
    }

    private final SinkPrecheck names;

    SourceCatalog(SinkPrecheck names) {
        this.names = names;
    }

    /** @param sources {@code schema.table} each, as the sink's topics name them; described in this order */
    List<LoadTable> describe(Connection c, List<String> sources) throws SQLException {
        List<String> schemas = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (String source : sources) {
            int dot = source.indexOf('.');
            if (dot < 0) {
                throw new BulkLoadException(source + ": the bulk load needs a schema-qualified table (schema.table)");
            }
            schemas.add(source.substring(0, dot));
            tables.add(source.substring(dot + 1));
        }
        Map<String, Relation> relations = relations(c, schemas, tables);
        Long[] oids = relations.values().stream().map(Relation::oid).toArray(Long[]::new);
        Map<Long, List<Column>> columns = columns(c, oids);
        Map<Long, List<String>> keys = keys(c, oids);
        boolean tidRanges = serverVersion(c) >= 140000; // TID range scans came with 14
        List<LoadTable> described = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            String source = sources.get(i);
            Relation r = relations.get(schemas.get(i) + "." + tables.get(i));
            if (r == null) {
                throw new BulkLoadException(source + ": no such table in the source");
            }
            if (!"r".equals(r.kind()) && !"p".equals(r.kind())) {
                throw new BulkLoadException(source + ": not a table (relkind " + r.kind() + ")");
            }
            List<LoadTable.Column> own = new ArrayList<>();
            List<String> foreign = new ArrayList<>();
            for (Column col : columns.getOrDefault(r.oid(), List.of())) {
                if (!col.builtIn()) {
                    foreign.add(col.name() + " " + col.type());
                }
                own.add(new LoadTable.Column(col.name(), names.targetColumn(source, col.name()), col.type()));
            }
            if (!foreign.isEmpty()) {
                throw new BulkLoadException(source + ": columns of types that are not PostgreSQL's built-in ones: "
                        + String.join(", ", foreign) + ". The bulk load copies values in binary, which such types may "
                        + "not read back the same in the target; load this table with Debezium's snapshot");
            }
            List<String> key = keys.getOrDefault(r.oid(), List.of());
            if (key.isEmpty()) {
                throw new BulkLoadException(source + ": no primary key; the sink applies changes by key, so the bulk "
                        + "load refuses it too (give it a primary key, or load it with Debezium's snapshot)");
            }
            boolean plain = "r".equals(r.kind());
            described.add(new LoadTable(source, schemas.get(i), tables.get(i), names.target(source), own, key,
                    plain ? r.pages() : 0, r.estimated(), plain && tidRanges));
        }
        return described;
    }

    private static Map<String, Relation> relations(Connection c, List<String> schemas, List<String> tables)
            throws SQLException {
        Map<String, Relation> relations = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, c.relname, c.oid, c.relkind, "
                + "pg_relation_size(c.oid) / current_setting('block_size')::bigint, c.reltuples::bigint FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN unnest(?::text[], ?::text[]) AS w(s, t) "
                + "ON n.nspname = w.s AND c.relname = w.t")) {
            ps.setArray(1, c.createArrayOf("text", schemas.toArray()));
            ps.setArray(2, c.createArrayOf("text", tables.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    relations.put(rs.getString(1) + "." + rs.getString(2), new Relation(rs.getLong(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6)));
                }
            }
        }
        return relations;
    }

    /** Generated columns are left out: logical decoding does not publish them, so the sink never writes them. */
    private static Map<Long, List<Column>> columns(Connection c, Long[] oids) throws SQLException {
        Map<Long, List<Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attrelid, a.attname, format_type(a.atttypid, "
                + "a.atttypmod), t.typnamespace = 'pg_catalog'::regnamespace FROM pg_attribute a JOIN pg_type t "
                + "ON t.oid = a.atttypid WHERE a.attrelid = ANY(?) AND a.attnum > 0 AND NOT a.attisdropped "
                + "AND a.attgenerated = '' ORDER BY a.attrelid, a.attnum")) {
            ps.setArray(1, oidArray(c, oids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new Column(rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        return columns;
    }

    private static Map<Long, List<String>> keys(Connection c, Long[] oids) throws SQLException {
        Map<Long, List<String>> keys = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indrelid, a.attname FROM pg_index i, unnest(i.indkey) "
                + "WITH ORDINALITY AS k(attnum, ord), pg_attribute a WHERE i.indrelid = ANY(?) AND i.indisprimary "
                + "AND a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY i.indrelid, k.ord")) {
            ps.setArray(1, oidArray(c, oids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return keys;
    }

    private static Array oidArray(Connection c, Long[] oids) throws SQLException {
        return c.createArrayOf("oid", oids);
    }

    private static int serverVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_setting('server_version_num')::int");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
