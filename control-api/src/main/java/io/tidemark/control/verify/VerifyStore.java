package io.tidemark.control.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.tidemark.control.api.Json;
import io.tidemark.sink.control.ControlSchema;

/**
 * The verification's tables in the control schema, owned by the control API (the sink never reads
 * them), created when missing like {@code api_audit}: {@code verify_run} (a run), {@code
 * verify_table} (per table), {@code verify_difference} (per differing key, capped) and {@code
 * verify_mark} ("verified through iteration N", per table). Never creates the sink's schema.
 */
public final class VerifyStore {

    private final ControlSchema schema;
    private final String project;

    public VerifyStore(String controlSchema, String project) {
        this.schema = new ControlSchema(controlSchema);
        this.project = project;
    }

    String table(String name) {
        return schema.table(name);
    }

    /** Creates the tables when missing; false while the control schema itself does not exist. */
    boolean ensure(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regnamespace(?) IS NOT NULL")) {
            ps.setString(1, schema.schema());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + table("verify_run") + " (id bigserial PRIMARY KEY,"
                    + " project text NOT NULL, started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz,"
                    + " status text NOT NULL, options text, iteration bigint, message text)");
            st.execute("CREATE TABLE IF NOT EXISTS " + table("verify_table") + " (run_id bigint NOT NULL,"
                    + " source_table text NOT NULL, target_table text, mode text, status text NOT NULL, iteration bigint,"
                    + " pinned boolean NOT NULL, source_rows bigint, target_rows bigint, ranges int, ranges_differing int,"
                    + " checksum text, differences bigint, in_flight bigint, duration_ms bigint, rows_per_second bigint,"
                    + " note text, PRIMARY KEY (run_id, source_table))");
            st.execute("CREATE TABLE IF NOT EXISTS " + table("verify_difference") + " (run_id bigint NOT NULL,"
                    + " source_table text NOT NULL, key text NOT NULL, kind text NOT NULL, columns text,"
                    + " source_values text, target_values text, verdict text NOT NULL)");
            // --changed-since: the N a table's changes were compared from, and how many keys (null and 0: whole).
            st.execute("ALTER TABLE " + table("verify_table") + " ADD COLUMN IF NOT EXISTS changed_since bigint,"
                    + " ADD COLUMN IF NOT EXISTS keys_compared bigint");
            st.execute("CREATE INDEX IF NOT EXISTS verify_difference_by_run ON " + table("verify_difference")
                    + " (run_id, source_table)");
            st.execute("CREATE TABLE IF NOT EXISTS " + table("verify_mark") + " (project text NOT NULL,"
                    + " source_table text NOT NULL, iteration bigint NOT NULL, run_id bigint NOT NULL,"
                    + " verified_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (project, source_table))");
        }
        return true;
    }

    long start(Connection c, String options) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table("verify_run")
                + " (project, status, options) VALUES (?, 'RUNNING', ?) RETURNING id")) {
            ps.setString(1, project);
            ps.setString(2, options);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void finish(Connection c, long run, String status, Long iteration, String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table("verify_run")
                + " SET finished_at = now(), status = ?, iteration = ?, message = ? WHERE id = ?")) {
            ps.setString(1, status);
            ps.setObject(2, iteration);
            ps.setString(3, message);
            ps.setLong(4, run);
            ps.executeUpdate();
        }
    }

    /** The table's result and its differences; an in-sync table pinned at N moves its mark to N. */
    void save(Connection c, long run, TableResult r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table("verify_table") + " (run_id, source_table,"
                + " target_table, mode, status, iteration, pinned, source_rows, target_rows, ranges, ranges_differing,"
                + " checksum, differences, in_flight, duration_ms, rows_per_second, note, changed_since, keys_compared)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, run);
            ps.setString(2, r.table());
            ps.setString(3, r.targetTable());
            ps.setString(4, r.mode());
            ps.setString(5, r.status());
            ps.setObject(6, r.iteration());
            ps.setBoolean(7, r.pinned());
            ps.setLong(8, r.sourceRows());
            ps.setLong(9, r.targetRows());
            ps.setInt(10, r.ranges());
            ps.setInt(11, r.rangesDiffering());
            ps.setString(12, r.checksum());
            ps.setLong(13, r.differenceCount());
            ps.setLong(14, r.inFlight());
            ps.setLong(15, r.durationMs());
            ps.setLong(16, r.rowsPerSecond());
            ps.setString(17, r.note());
            ps.setObject(18, r.changedSince());
            ps.setLong(19, r.keysCompared());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table("verify_difference") + " (run_id,"
                + " source_table, key, kind, columns, source_values, target_values, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Difference d : r.differences()) {
                ps.setLong(1, run);
                ps.setString(2, r.table());
                ps.setString(3, json(d.key()));
                ps.setString(4, d.kind());
                ps.setString(5, json(d.columns()));
                ps.setString(6, json(d.sourceValues()));
                ps.setString(7, json(d.targetValues()));
                ps.setString(8, d.verdict());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if ("IN_SYNC".equals(r.status()) && r.iteration() != null) {
            moveMark(c, run, r);
        }
    }

    /**
     * Moves the table's mark to the iteration it was verified at. A table compared whole may start a mark; one whose
     * changes since N were compared only extends a mark already at N or later: the rows before N stay unproven else.
     */
    private void moveMark(Connection c, long run, TableResult r) throws SQLException {
        String sql = r.changedSince() == null
                ? "INSERT INTO " + table("verify_mark") + " AS m (project, source_table, iteration, run_id) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (project, source_table) DO UPDATE SET iteration = excluded.iteration,"
                        + " run_id = excluded.run_id, verified_at = now()"
                : "UPDATE " + table("verify_mark") + " SET iteration = greatest(iteration, ?), run_id = ?, verified_at = now()"
                        + " WHERE project = ? AND source_table = ? AND iteration >= ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (r.changedSince() == null) {
                ps.setString(1, project);
                ps.setString(2, r.table());
                ps.setLong(3, r.iteration());
                ps.setLong(4, run);
            } else {
                ps.setLong(1, r.iteration());
                ps.setLong(2, run);
                ps.setString(3, project);
                ps.setString(4, r.table());
                ps.setLong(5, r.changedSince());
            }
            ps.executeUpdate();
        }
    }

    /** A table's "verified through iteration N" mark. */
    public record Mark(String table, long iteration, long run, java.time.Instant at) {
    }

    /** The last run of the project, with its status; empty when none ran or the tables do not exist. */
    public record RunRow(long id, String status, Long iteration, java.time.Instant startedAt,
                         java.time.Instant finishedAt, String message) {
    }

    public Optional<RunRow> lastRun(Connection c) throws SQLException {
        if (!exists(c)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, status, iteration, started_at, finished_at, message FROM "
                + table("verify_run") + " WHERE project = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RunRow(rs.getLong(1), rs.getString(2), rs.getObject(3, Long.class),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(),
                        rs.getString(6)));
            }
        }
    }

    public List<Mark> marks(Connection c) throws SQLException {
        List<Mark> out = new ArrayList<>();
        if (!exists(c)) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, iteration, run_id, verified_at FROM "
                + table("verify_mark") + " WHERE project = ? ORDER BY source_table")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Mark(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    private boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table("verify_mark"));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static String json(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return String.valueOf(o);
        }
    }
}
