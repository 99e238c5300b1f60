package io.tidemark.control.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import io.tidemark.sink.control.ControlSchema;

/**
 * The control schema's {@code api_audit} table, which the control API owns (the sink never reads
 * it): created in the sink's control schema when missing, one row per action, read newest first.
 */
public final class AuditStore {

    private final ControlSchema schema;

    public AuditStore(String controlSchema) {
        this.schema = new ControlSchema(controlSchema);
    }

    public String table() {
        return schema.table("api_audit");
    }

    /**
     * Writes the entry; false, writing nothing, while the control schema does not exist (before the
     * sink's first start, or once a delete dropped it): the API never creates the sink's schema.
     */
    public boolean insert(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regnamespace(?) IS NOT NULL")) {
            ps.setString(1, schema.schema());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        ensure(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table() + " (at, project, source_table, caller,"
                + " scope, method, path, request, status, outcome, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(e.at()));
            ps.setString(2, e.project());
            ps.setString(3, e.table());
            ps.setString(4, e.caller());
            ps.setString(5, e.scope());
            ps.setString(6, e.method());
            ps.setString(7, e.path());
            ps.setString(8, e.request());
            ps.setInt(9, e.status());
            ps.setString(10, e.outcome());
            ps.setString(11, e.message());
            ps.executeUpdate();
        }
        return true;
    }

    /** The project's newest entries first; none when the table does not exist yet. */
    public List<AuditEntry> newest(Connection c, String project, int limit) throws SQLException {
        List<AuditEntry> rows = new ArrayList<>();
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table());
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return rows;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT at, project, source_table, caller, scope, method, path,"
                + " request, status, outcome, message FROM " + table() + " WHERE project = ? ORDER BY id DESC LIMIT ?")) {
            ps.setString(1, project);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new AuditEntry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getInt(9), rs.getString(10), rs.getString(11)));
                }
            }
        }
        return rows;
    }

    private void ensure(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + table() + " ("
                    + "id bigserial PRIMARY KEY, at timestamptz NOT NULL, project text NOT NULL, source_table text,"
                    + " caller text, scope text, method text NOT NULL, path text NOT NULL, request text,"
                    + " status int NOT NULL, outcome text NOT NULL, message text)");
        }
    }
}
