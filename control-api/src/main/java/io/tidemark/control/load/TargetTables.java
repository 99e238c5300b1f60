package io.tidemark.control.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.tidemark.sink.naming.Identifiers;

/**
 * The target tables of a bulk load and its record of them ({@code <control>.bulk_load}).
 *
 * <p>A missing target is created as the sink would want it (the source's columns with their own
 * built-in types, the primary key and nothing else), its key added after the rows, as
 * {@code pg_dump} does, since building an index once is cheaper than keeping it through every row.
 * An existing target must be empty, unless the record says an earlier, unfinished load of this
 * project filled it: that one is emptied and loaded again (the change stream starts over with the
 * new snapshot, since marker 0 is not written before the load completes).
 */
final class TargetTables {

    /**
     * @param binary   every target column has the source's type, so {@code COPY} goes in binary
     * @param keyAfter the table was created here: its primary key is added once the rows are in
     */
    record Prepared(LoadTable table, boolean binary, boolean keyAfter) {
    }

    private final String control;
    private final String project;

    TargetTables(String controlSchema, String project) {
        this.control = Identifiers.quote(controlSchema);
        this.project = project;
    }

    Prepared prepare(Connection c, LoadTable t) throws SQLException {
        String target = t.target().quoted();
        Map<String, String> existing = existingColumns(c, t);
        if (existing.isEmpty()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + target + " (" + t.columns().stream()
                        .map(col -> Identifiers.quote(col.targetName()) + " " + col.type())
                        .collect(Collectors.joining(", ")) + ")");
            }
            record(c, t, true);
            return new Prepared(t, true, true);
        }
        if (hasRows(c, target)) {
            if (!loadedBefore(c, t)) {
                throw new BulkLoadException(t.source() + ": the target " + t.target() + " has rows, and no earlier bulk "
                        + "load of project " + project + " put them there. The bulk load fills empty tables only: "
                        + "empty it, or drop it to let the load create it");
            }
            try (Statement st = c.createStatement()) {
                st.execute("TRUNCATE " + target);
            }
        }
        List<String> missing = new ArrayList<>();
        boolean sameTypes = true;
        for (LoadTable.Column col : t.columns()) {
            String type = existing.get(col.targetName());
            if (type == null) {
                missing.add(col.targetName());
            } else {
                sameTypes &= type.equals(col.type());
            }
        }
        if (!missing.isEmpty()) {
            throw new BulkLoadException(t.source() + ": the target " + t.target() + " lacks the column(s) " + missing
                    + "; add them, or drop the table to let the load create it");
        }
        boolean keyAfter = loadedBefore(c, t) && !hasPrimaryKey(c, t);
        record(c, t, keyAfter);
        return new Prepared(t, sameTypes, keyAfter);
    }

    /** The target schemas, created before the tables are, on one session: two creating one schema at once collide. */
    void ensureSchemas(Connection c, List<LoadTable> tables) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String schema : new java.util.TreeSet<>(tables.stream().map(t -> t.target().schema()).toList())) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
            }
        }
    }

    void addKey(Connection c, LoadTable t) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + t.target().quoted() + " ADD PRIMARY KEY (" + t.key().stream()
                    .map(k -> Identifiers.quote(targetName(t, k))).collect(Collectors.joining(", ")) + ")");
        }
    }

    void progress(Connection c, LoadTable t, long rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + control + ".bulk_load SET rows_loaded = ? "
                + "WHERE project = ? AND source_table = ?")) {
            ps.setLong(1, rows);
            ps.setString(2, project);
            ps.setString(3, t.source());
            ps.executeUpdate();
        }
    }

    void finished(Connection c, LoadTable t, long rows, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + control + ".bulk_load SET state = ?, rows_loaded = ?,"
                + " finished_at = now(), error = ? WHERE project = ? AND source_table = ?")) {
            ps.setString(1, error == null ? "LOADED" : "FAILED");
            ps.setLong(2, rows);
            ps.setString(3, error);
            ps.setString(4, project);
            ps.setString(5, t.source());
            ps.executeUpdate();
        }
    }

    void position(Connection c, String sourcePosition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + control + ".bulk_load SET source_position = ? "
                + "WHERE project = ? AND state = 'LOADING'")) {
            ps.setString(1, sourcePosition);
            ps.setString(2, project);
            ps.executeUpdate();
        }
    }

    private void record(Connection c, LoadTable t, boolean created) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + control + ".bulk_load (project, source_table, "
                + "target_table, state, rows_estimated) VALUES (?, ?, ?, 'LOADING', ?) ON CONFLICT (project, source_table) "
                + "DO UPDATE SET target_table = excluded.target_table, state = 'LOADING', rows_estimated = "
                + "excluded.rows_estimated, rows_loaded = 0, started_at = now(), finished_at = NULL, error = NULL")) {
            ps.setString(1, project);
            ps.setString(2, t.source());
            ps.setString(3, t.target().schema() + "." + t.target().name());
            ps.setLong(4, t.estimatedRows());
            ps.executeUpdate();
        }
    }

    private boolean loadedBefore(Connection c, LoadTable t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + control + ".bulk_load WHERE project = ? "
                + "AND source_table = ? AND target_table = ?")) {
            ps.setString(1, project);
            ps.setString(2, t.source());
            ps.setString(3, t.target().schema() + "." + t.target().name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Map<String, String> existingColumns(Connection c, LoadTable t) throws SQLException {
        Map<String, String> columns = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM "
                + "pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace "
                + "WHERE n.nspname = ? AND r.relname = ? AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, t.target().schema());
            ps.setString(2, t.target().name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    private static boolean hasRows(Connection c, String target) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + target + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static boolean hasPrimaryKey(Connection c, LoadTable t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_index i JOIN pg_class r ON r.oid = i.indrelid "
                + "JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ? AND r.relname = ? AND i.indisprimary")) {
            ps.setString(1, t.target().schema());
            ps.setString(2, t.target().name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String targetName(LoadTable t, String sourceColumn) {
        return t.columns().stream().filter(col -> col.name().equals(sourceColumn)).findFirst()
                .map(LoadTable.Column::targetName).orElseThrow();
    }
}
