package io.tidemark.sink.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;

import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.common.marker.IterationMarker;

/**
 * Writes the sink's facts into the control schema: table status, the iteration ledger, flagged
 * records. Each method runs in the caller's transaction, so these facts commit (or not) together
 * with the rows and offsets they describe.
 */
public final class ControlTables {

    /** A table's status, as DESIGN.md's status model names it. */
    public enum TableStatus { RUNNING, WAITING, FINALIZING, PAUSED, STOPPED, ERROR_RETRIABLE, ERROR_ABORTED }

    /** An error row to write. */
    public record ErrorRow(String sourceTable, String targetTable, SinkRecord record, String reason) {
    }

    /** A status to write for a table. */
    public record StatusChange(String targetTable, TableStatus status, String reason) {
    }

    /** A ledger entry: marker {@code marker} passed in this partition at this offset. */
    public record LedgerEntry(String sourceTable, String topic, int partition, long offset, IterationMarker marker) {
    }

    private final String project;
    private final String connector;
    private final String projectSql;
    private final String statusSql;
    private final String ledgerSql;
    private final String errorSql;

    public ControlTables(ControlSchema control, String project, String connector) {
        this.project = project;
        this.connector = connector;
        this.projectSql = "INSERT INTO " + control.table("project") + " (name) VALUES (?) ON CONFLICT DO NOTHING";
        this.statusSql = "INSERT INTO " + control.table("table_state")
                + " (project, source_table, target_table, status, reason, updated_at) VALUES (?, ?, ?, ?, ?, now())"
                + " ON CONFLICT (project, source_table) DO UPDATE SET target_table = EXCLUDED.target_table,"
                + " status = EXCLUDED.status, reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at";
        this.ledgerSql = "INSERT INTO " + control.table("iteration_table")
                + " (project, iteration, source_table, topic, kafka_partition, kafka_offset, source_position, final,"
                + " marker_created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
        this.errorSql = "INSERT INTO " + control.table("error_rows")
                + " (project, connector, source_table, target_table, topic, kafka_partition, kafka_offset,"
                + " record_key, reason, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    public String project() {
        return project;
    }

    public void registerProject(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(projectSql)) {
            ps.setString(1, project);
            ps.executeUpdate();
        }
    }

    public void setStatus(Connection connection, String sourceTable, String targetTable, TableStatus status,
                          String reason) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(statusSql)) {
            ps.setString(1, project);
            ps.setString(2, sourceTable);
            ps.setString(3, targetTable);
            ps.setString(4, status.name());
            ps.setString(5, reason);
            ps.executeUpdate();
        }
    }

    public void recordMarkers(Connection connection, Collection<LedgerEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(ledgerSql)) {
            for (LedgerEntry e : entries) {
                ps.setString(1, project);
                ps.setLong(2, e.marker().iteration());
                ps.setString(3, e.sourceTable());
                ps.setString(4, e.topic());
                ps.setInt(5, e.partition());
                ps.setLong(6, e.offset());
                ps.setString(7, e.marker().sourcePosition());
                ps.setBoolean(8, e.marker().isFinal());
                ps.setTimestamp(9, e.marker().createdTsMs() > 0 ? new Timestamp(e.marker().createdTsMs()) : null);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void recordErrors(Connection connection, Collection<ErrorRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(errorSql)) {
            for (ErrorRow row : rows) {
                SinkRecord r = row.record();
                ps.setString(1, project);
                ps.setString(2, connector);
                ps.setString(3, row.sourceTable());
                ps.setString(4, row.targetTable());
                ps.setString(5, r.originalTopic());
                ps.setInt(6, r.originalKafkaPartition());
                ps.setLong(7, r.originalKafkaOffset());
                ps.setString(8, r.key() == null ? null : RecordRenderer.json(r.key()));
                ps.setString(9, row.reason());
                ps.setString(10, r.value() == null ? null : RecordRenderer.json(r.value()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
