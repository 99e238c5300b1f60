package io.tidemark.quickstart.progress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the sink's control schema in the target database (docs/control-schema.md): the completed
 * iterations of a project from {@code iteration}, its license use from {@code license_usage}.
 * Only reads: the sink is the one writer of both.
 */
public final class IterationLedger {

    private final String schema;
    private final String project;

    public IterationLedger(String schema, String project) {
        this.schema = "\"" + schema.replace("\"", "\"\"") + "\"";
        this.project = project;
    }

    /** Whether the sink created its ledger yet (the control schema appears with the sink's first start). */
    public boolean exists(Connection c) throws SQLException {
        return tableExists(c, "iteration");
    }

    /** Whether the control schema exists at all (then a missing ledger means a sink without one). */
    public boolean controlSchemaExists(Connection c) throws SQLException {
        return tableExists(c, "schema_version");
    }

    private boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, schema + "." + table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Iterations applied after {@code after}, in order. */
    public List<CompletedIteration> completedAfter(Connection c, long after) throws SQLException {
        return applied(c, "iteration > ?", after, "");
    }

    /**
     * The first iteration applied whose marker the source wrote after {@code epochMs} (the worker's
     * clock, on this machine), or null while there is none: every change committed before that
     * moment is in the target once it is applied.
     */
    public CompletedIteration appliedWithMarkerAfter(Connection c, long epochMs) throws SQLException {
        List<CompletedIteration> first = applied(c, "marker_created_at > to_timestamp(? / 1000.0)", epochMs, " LIMIT 1");
        return first.isEmpty() ? null : first.get(0);
    }

    /** The project's applied iterations that meet {@code condition} (one parameter, {@code value}), in order. */
    private List<CompletedIteration> applied(Connection c, String condition, long value, String limit) throws SQLException {
        List<CompletedIteration> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT iteration, upserted, deleted, bytes, apply_ms, final FROM "
                + schema + ".iteration WHERE project = ? AND status = 'APPLIED' AND " + condition + " ORDER BY iteration"
                + limit)) {
            ps.setString(1, project);
            ps.setLong(2, value);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new CompletedIteration(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getBoolean(6)));
                }
            }
        }
        return rows;
    }

    /** The project's license use, or null before the sink's first flush made the row. */
    public LicenseUse license(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state, used_bytes, max_bytes, key_id FROM " + schema
                + ".license_usage WHERE project = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long max = rs.getLong(3);
                return new LicenseUse(rs.getString(1), rs.getLong(2), rs.wasNull() ? null : max, rs.getString(4));
            }
        }
    }
}
