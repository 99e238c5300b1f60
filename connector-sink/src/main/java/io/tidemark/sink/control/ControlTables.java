package io.tidemark.sink.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.naming.SourceTable;

/**
 * Writes the sink's facts into the control schema: partition and table statuses, flagged
 * records. Each method runs in the caller's transaction, so these facts commit (or not) together
 * with the rows and offsets they describe.
 */
public final class ControlTables {

    /** An error row to write. */
    public record ErrorRow(String sourceTable, String targetTable, SinkRecord record, String reason) {
    }

    private final String project;
    private final String connector;
    private final String projectSql;
    private final String errorSql;
    private final String ensureTableSql;
    private final String lockTableSql;
    private final String partitionSql;
    private final String partitionRowsSql;
    private final String storedStatusesSql;
    private final String rollupSql;
    private final String task;
    private final String otherSourceSql;
    private final String registerSql;
    private final String partitionState;
    private final String modeSql;

    public ControlTables(ControlSchema control, String project, String connector, String task) {
        this.project = project;
        this.connector = connector;
        this.task = task;
        String tableState = control.table("table_state");
        this.partitionState = control.table("partition_state");
        this.storedStatusesSql = "SELECT topic, kafka_partition, status FROM " + partitionState
                + " WHERE project = ? AND (topic, kafka_partition) IN (SELECT * FROM unnest(?::text[], ?::int[]))";
        this.ensureTableSql = "INSERT INTO " + tableState + " (project, source_table, target_table, status)"
                + " VALUES (?, ?, ?, 'RUNNING') ON CONFLICT DO NOTHING";
        this.otherSourceSql = "SELECT source_table FROM " + tableState + " WHERE project = ? AND target_table = ?"
                + " AND source_table <> ? AND target_claimed ORDER BY source_table LIMIT 1";
        this.registerSql = "INSERT INTO " + tableState + " AS t (project, source_table, target_table, status,"
                + " target_claimed) VALUES (?, ?, ?, 'RUNNING', true) ON CONFLICT (project, source_table) DO UPDATE"
                + " SET target_table = EXCLUDED.target_table, target_claimed = true"
                + " WHERE t.target_table <> EXCLUDED.target_table OR NOT t.target_claimed";
        this.modeSql = "SELECT mode FROM " + tableState + " WHERE project = ? AND source_table = ?";
        this.lockTableSql = "SELECT status FROM " + tableState + " WHERE project = ? AND source_table = ? FOR UPDATE";
        this.partitionSql = "INSERT INTO " + partitionState + " (project, source_table, topic, kafka_partition, status,"
                + " reason, connector, task, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, now())"
                + " ON CONFLICT (project, source_table, topic, kafka_partition) DO UPDATE SET status = EXCLUDED.status,"
                + " reason = EXCLUDED.reason, connector = EXCLUDED.connector, task = EXCLUDED.task,"
                + " updated_at = EXCLUDED.updated_at";
        this.partitionRowsSql = "SELECT topic, kafka_partition, status, reason, task FROM " + partitionState
                + " WHERE project = ? AND source_table = ?";
        this.rollupSql = "UPDATE " + tableState + " SET target_table = ?, status = ?, reason = ?, updated_at = now()"
                + " WHERE project = ? AND source_table = ?";
        this.projectSql = "INSERT INTO " + control.table("project") + " (name) VALUES (?) ON CONFLICT DO NOTHING";
        this.errorSql = "INSERT INTO " + control.table("error_rows")
                + " (project, connector, source_table, target_table, topic, kafka_partition, kafka_offset,"
                + " record_key, reason, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    public String project() {
        return project;
    }

    /**
     * The statuses stored for these partitions (by whichever task wrote them last): a task that
     * claims a partition starts from them, so that it replaces a stale one.
     */
    public Map<TopicPartition, TableStatus> storedStatuses(Connection connection,
            Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, TableStatus> result = new HashMap<>();
        if (partitions.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = connection.prepareStatement(storedStatusesSql)) {
            ps.setString(1, project);
            ps.setArray(2, connection.createArrayOf("text", partitions.stream()
                    .map(TopicPartition::topic).toArray()));
            ps.setArray(3, connection.createArrayOf("int4", partitions.stream()
                    .map(TopicPartition::partition).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(new TopicPartition(rs.getString(1), rs.getInt(2)),
                            TableStatus.valueOf(rs.getString(3)));
                }
            }
        }
        return result;
    }

    /** The table's consistency mode as the control schema has it now (null: no row yet). */
    public String mode(Connection connection, String sourceTable) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(modeSql)) {
            ps.setString(1, project);
            ps.setString(2, sourceTable);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public void registerProject(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(projectSql)) {
            ps.setString(1, project);
            ps.executeUpdate();
        }
    }


    /**
     * Writes partition statuses and rolls each affected table's status up from all its
     * partitions, in the caller's transaction. The table's row is locked before its partitions are
     * read, so that of two tasks changing partitions of one table at once the second one's roll-up
     * sees the first one's change (each statement of a READ COMMITTED transaction reads what was
     * committed when it began).
     */
    public void setPartitionStatuses(Connection connection, Collection<PartitionStatus> statuses) throws SQLException {
        if (statuses.isEmpty()) {
            return;
        }
        Map<SourceTable, List<PartitionStatus>> byTable = new TreeMap<>(
                java.util.Comparator.comparing(SourceTable::qualified)); // one lock order for every task
        statuses.forEach(s -> byTable.computeIfAbsent(s.table(), t -> new ArrayList<>()).add(s));
        for (Map.Entry<SourceTable, List<PartitionStatus>> entry : byTable.entrySet()) {
            String source = entry.getKey().qualified();
            String target = entry.getValue().get(0).targetTable();
            try (PreparedStatement ensure = connection.prepareStatement(ensureTableSql);
                 PreparedStatement lock = connection.prepareStatement(lockTableSql)) {
                ensure.setString(1, project);
                ensure.setString(2, source);
                ensure.setString(3, target);
                ensure.executeUpdate();
                lock.setString(1, project);
                lock.setString(2, source);
                lock.executeQuery().close();
            }
            try (PreparedStatement ps = connection.prepareStatement(partitionSql)) {
                for (PartitionStatus s : entry.getValue()) {
                    ps.setString(1, project);
                    ps.setString(2, source);
                    ps.setString(3, s.partition().topic());
                    ps.setInt(4, s.partition().partition());
                    ps.setString(5, s.status().name());
                    ps.setString(6, s.reason());
                    ps.setString(7, connector);
                    ps.setString(8, task);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            rollUp(connection, source, target);
        }
    }

    /**
     * A table stopped with an error outside any one task's flush (the apply of a FULL iteration):
     * every partition of it says so with the reason, whichever task applies it.
     */
    public void abortTable(Connection connection, String source, String target, String reason) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(lockTableSql)) {
            lock.setString(1, project);
            lock.setString(2, source);
            lock.executeQuery().close();
        }
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + partitionState + " SET status = 'ERROR_ABORTED',"
                + " reason = ?, updated_at = now() WHERE project = ? AND source_table = ?")) {
            ps.setString(1, reason);
            ps.setString(2, project);
            ps.setString(3, source);
            ps.executeUpdate();
        }
        rollUp(connection, source, target);
    }

    /** The table's status from all its partitions' (its row locked by the caller). */
    private void rollUp(Connection connection, String source, String target) throws SQLException {
        List<TableStatusRollup.PartitionRow> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(partitionRowsSql)) {
            ps.setString(1, project);
            ps.setString(2, source);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new TableStatusRollup.PartitionRow(rs.getString(1), rs.getInt(2),
                            TableStatus.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5)));
                }
            }
        }
        TableStatusRollup.Rollup rollup = TableStatusRollup.of(rows);
        try (PreparedStatement ps = connection.prepareStatement(rollupSql)) {
            ps.setString(1, target);
            ps.setString(2, rollup.status().name());
            ps.setString(3, rollup.reason());
            ps.setString(4, project);
            ps.setString(5, source);
            ps.executeUpdate();
        }
    }

    /**
     * Registers the target table a source table maps to, unless another source table of the
     * project maps there already.
     *
     * @return that other source table, or null when the target is this table's
     */
    public String claimTarget(Connection connection, String sourceTable, String targetTable) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(otherSourceSql)) {
            ps.setString(1, project);
            ps.setString(2, targetTable);
            ps.setString(3, sourceTable);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(registerSql)) {
            ps.setString(1, project);
            ps.setString(2, sourceTable);
            ps.setString(3, targetTable);
            ps.executeUpdate();
        }
        return null;
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
