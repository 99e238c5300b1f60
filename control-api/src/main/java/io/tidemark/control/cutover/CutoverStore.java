package io.tidemark.control.cutover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.tidemark.control.api.Json;
import io.tidemark.sink.control.ControlSchema;

/**
 * The control schema's {@code cutover_report} table, which the control API owns (the sink never
 * reads it) and creates when missing, as {@code api_audit}: one row per cutover or finalize, written
 * with the plan before any statement runs and again with the report at the end.
 */
public final class CutoverStore {

    private final ControlSchema schema;

    public CutoverStore(String controlSchema) {
        this.schema = new ControlSchema(controlSchema);
    }

    public String table() {
        return schema.table("cutover_report");
    }

    /** A new row for a run that starts; its id. */
    public long begin(Connection c, CutoverReport report) throws SQLException {
        ensure(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table() + " (project, kind, started_at, outcome,"
                + " report, markdown) VALUES (?, ?, ?, ?, ?::jsonb, ?) RETURNING id")) {
            ps.setString(1, report.project());
            ps.setString(2, report.kind());
            ps.setTimestamp(3, Timestamp.from(report.startedAt()));
            ps.setString(4, report.outcome());
            ps.setString(5, json(report));
            ps.setString(6, ReportMarkdown.render(report));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void update(Connection c, CutoverReport report) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table() + " SET finished_at = ?, outcome = ?,"
                + " report = ?::jsonb, markdown = ? WHERE id = ?")) {
            ps.setTimestamp(1, report.finishedAt() == null ? null : Timestamp.from(report.finishedAt()));
            ps.setString(2, report.outcome());
            ps.setString(3, json(report));
            ps.setString(4, ReportMarkdown.render(report));
            ps.setLong(5, report.id());
            ps.executeUpdate();
        }
    }

    /** The project's newest report, none when there is none (or no table yet). */
    public Optional<CutoverReport> newest(Connection c, String project) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table());
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT report FROM " + table()
                + " WHERE project = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Json.MAPPER.readValue(rs.getString(1), CutoverReport.class)) : Optional.empty();
            } catch (JsonProcessingException e) {
                throw new SQLException("a cutover report in " + table() + " cannot be read: " + e.getMessage(), e);
            }
        }
    }

    private void ensure(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + table() + " (id bigserial PRIMARY KEY, project text NOT NULL,"
                    + " kind text NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz, outcome text NOT NULL,"
                    + " report jsonb NOT NULL, markdown text NOT NULL)");
        }
    }

    private static String json(CutoverReport report) throws SQLException {
        try {
            return Json.MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new SQLException("the cutover report cannot be written as JSON: " + e.getMessage(), e);
        }
    }
}
