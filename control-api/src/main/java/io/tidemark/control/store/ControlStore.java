package io.tidemark.control.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.tidemark.control.store.ControlRows.IterationRow;
import io.tidemark.control.store.ControlRows.LicenseRow;
import io.tidemark.control.store.ControlRows.ProjectRow;
import io.tidemark.control.store.ControlRows.TableRow;
import io.tidemark.control.store.ControlRows.Totals;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.iteration.InitialLoad;
import io.tidemark.sink.naming.Identifiers;

/**
 * The control schema as the operator's side sees it (docs/control-schema.md): it reads everything
 * and writes only the desired columns ({@code desired_state}, {@code desired_mode}); the sink
 * decides. Deleting a project is the one exception, and runs only with the connectors stopped.
 */
public final class ControlStore {

    /** The control schema's version whose migration created the bulk load's record, {@code bulk_load}. */
    public static final int BULK_LOAD_VERSION = 9;

    private final ControlSchema schema;
    private final String project;

    public ControlStore(String controlSchema, String project) {
        this.schema = new ControlSchema(controlSchema);
        this.project = project;
    }

    public String schemaName() {
        return schema.schema();
    }

    public boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, schema.table("project"));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The bulk load's record, qualified by the control schema. */
    public String bulkLoadRecord() {
        return schema.table("bulk_load");
    }

    /**
     * Whether the bulk load's record holds a load of every table of the project that completed
     * (LOADED). No control schema, or one from before the record's migration, holds none.
     */
    public boolean bulkLoadCompleted(Connection c) throws SQLException {
        if (!exists(c) || schema.version(c) < BULK_LOAD_VERSION) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE state <> 'LOADED')"
                + " FROM " + bulkLoadRecord() + " WHERE project = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0 && rs.getLong(2) == 0;
            }
        }
    }

    public Optional<ProjectRow> project(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, desired_state, accepted_state, refusal, refused_at"
                + " FROM " + schema.table("project") + " WHERE name = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ProjectRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), instant(rs.getTimestamp(5)))) : Optional.empty();
            }
        }
    }

    public List<TableRow> tables(Connection c) throws SQLException {
        List<TableRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, target_table, topic, status, reason, mode,"
                + " desired_mode, desired_state, accepted_state, refusal, refused_at, iteration FROM "
                + schema.table("table_state") + " WHERE project = ? ORDER BY source_table")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new TableRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), instant(rs.getTimestamp(11)), rs.getObject(12, Long.class)));
                }
            }
        }
        return rows;
    }

    public Optional<TableRow> table(Connection c, String sourceTable) throws SQLException {
        return tables(c).stream().filter(t -> t.sourceTable().equalsIgnoreCase(sourceTable)).findFirst();
    }

    /** The operator's request for the project; the sink accepts or refuses it. */
    public void setProjectDesired(Connection c, String desired) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + schema.table("project")
                + " SET desired_state = ? WHERE name = ?")) {
            ps.setString(1, desired);
            ps.setString(2, project);
            ps.executeUpdate();
        }
    }

    public void setTableDesired(Connection c, String sourceTable, String desired) throws SQLException {
        setTableRequest(c, sourceTable, "desired_state", desired);
    }

    public void setTableDesiredMode(Connection c, String sourceTable, String mode) throws SQLException {
        setTableRequest(c, sourceTable, "desired_mode", mode);
    }

    /** A new request clears the last refusal, so that waiting for the answer sees only this request's. */
    private void setTableRequest(Connection c, String sourceTable, String column, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + schema.table("table_state")
                + " SET " + column + " = ?, refusal = NULL, refused_at = NULL WHERE project = ? AND source_table = ?")) {
            ps.setString(1, value);
            ps.setString(2, project);
            ps.setString(3, sourceTable);
            ps.executeUpdate();
        }
    }

    /** Each table's pace over its last {@code window} completed iterations (of the newest 2 × window). */
    public Map<String, ControlRows.TablePace> paces(Connection c, int window) throws SQLException {
        Map<String, ControlRows.TablePace> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("WITH done AS (SELECT t.source_table, t.upserted + t.deleted AS rows,"
                + " t.completed_at, i.marker_created_at, row_number() OVER (PARTITION BY t.source_table"
                + " ORDER BY t.iteration DESC) AS n, count(*) OVER (PARTITION BY t.source_table) AS total FROM "
                + schema.table("iteration_table") + " t JOIN "
                + schema.table("iteration") + " i ON i.project = t.project AND i.iteration = t.iteration"
                + " WHERE t.project = ? AND t.completed_at IS NOT NULL AND t.iteration > (SELECT coalesce(max(iteration), 0)"
                + " - 2 * ? FROM " + schema.table("iteration") + " WHERE project = ?))"
                + " SELECT source_table, coalesce(sum(rows) FILTER (WHERE n <= ? AND n < total), 0),"
                + " count(*) FILTER (WHERE n <= ? AND n < total),"
                + " extract(epoch FROM max(completed_at) - min(completed_at)), max(marker_created_at) FILTER (WHERE n = 1)"
                + " FROM done WHERE n <= ? + 1 GROUP BY source_table")) {
            ps.setString(1, project);
            ps.setInt(2, window);
            ps.setString(3, project);
            ps.setInt(4, window);
            ps.setInt(5, window);
            ps.setInt(6, window);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int count = rs.getInt(3);
                    double seconds = rs.getDouble(4);
                    result.put(rs.getString(1), new ControlRows.TablePace(rs.getString(1), rs.getLong(2), count,
                            rs.wasNull() || count == 0 ? null : seconds, instant(rs.getTimestamp(5))));
                }
            }
        }
        return result;
    }

    /** The tables still in their initial load, with the rows applied so far and their pace. */
    public List<InitialLoad.Reading> loads(Connection c) throws SQLException {
        return InitialLoad.read(c, schema, project);
    }

    /** The newest iterations first. */
    public List<IterationRow> iterations(Connection c, int limit) throws SQLException {
        List<IterationRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(iterationQuery("ORDER BY iteration DESC LIMIT ?"))) {
            ps.setString(1, project);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(iterationRow(rs));
                }
            }
        }
        return rows;
    }

    public Optional<IterationRow> iteration(Connection c, long n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(iterationQuery("AND iteration = ?"))) {
            ps.setString(1, project);
            ps.setLong(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(iterationRow(rs)) : Optional.empty();
            }
        }
    }

    /** The project's iterations with the columns {@link #iterationRow} reads; {@code rest} follows the project. */
    private String iterationQuery(String rest) {
        return "SELECT iteration, status, final, source_position, marker_created_at, first_seen_at, applied_at,"
                + " upserted, deleted, bytes, duration_ms, apply_ms, tables_completed, tables_total, waiting_for FROM "
                + schema.table("iteration") + " WHERE project = ? " + rest;
    }

    private static IterationRow iterationRow(ResultSet rs) throws SQLException {
        return new IterationRow(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getObject(11, Long.class),
                rs.getObject(12, Long.class), rs.getInt(13), rs.getObject(14, Integer.class), rs.getString(15));
    }

    public Totals totals(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), coalesce(sum(upserted), 0),"
                + " coalesce(sum(deleted), 0), coalesce(sum(bytes), 0), min(applied_at), max(applied_at),"
                + " coalesce(max(iteration), -1) FROM " + schema.table("iteration")
                + " WHERE project = ? AND status = 'APPLIED'")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), instant(rs.getTimestamp(5)),
                        instant(rs.getTimestamp(6)), rs.getLong(7));
            }
        }
    }

    public Optional<LicenseRow> license(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT used_bytes, max_bytes, key_id, expires_at, state, reason"
                + " FROM " + schema.table("license_usage") + " WHERE project = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LicenseRow(rs.getLong(1), rs.getObject(2, Long.class), rs.getString(3),
                        instant(rs.getTimestamp(4)), rs.getString(5), rs.getString(6)));
            }
        }
    }

    /** The sink connector's stored next offsets: topic → partition → offset (null: claimed, nothing applied). */
    public Map<String, Map<Integer, Long>> offsets(Connection c, String sinkConnector) throws SQLException {
        Map<String, Map<Integer, Long>> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT topic, kafka_partition, next_offset FROM "
                + schema.table("kafka_offsets") + " WHERE connector = ?")) {
            ps.setString(1, sinkConnector);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long next = rs.getObject(3, Long.class); // a reset leaves next_offset null
                    result.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getInt(2), next);
                }
            }
        }
        return result;
    }

    /** What {@link #delete} removed: for the answer and the log. */
    public record Deleted(int rows, List<String> stagingTables) {
    }

    /** The project's staging tables, by name. */
    private List<String> stages(Connection c) throws SQLException {
        List<String> stages = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT stage_name FROM " + schema.table("stage_table")
                + " WHERE project = ? ORDER BY stage_name")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stages.add(rs.getString(1));
                }
            }
        }
        return stages;
    }

    /**
     * The changes staged for FULL iterations not yet applied, per staging table that holds any: a
     * delete would lose them.
     */
    public Map<String, Long> stagedRows(Connection c) throws SQLException {
        Map<String, Long> result = new TreeMap<>();
        for (String stage : stages(c)) {
            String table = schema.table(Identifiers.quote(stage));
            try (Statement st = c.createStatement();
                 ResultSet exists = st.executeQuery("SELECT to_regclass(" + Identifiers.literal(table) + ") IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    continue; // a staging table already gone holds nothing
                }
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    result.put(stage, rs.getLong(1));
                }
            }
        }
        return result;
    }

    /**
     * Removes the project from the control schema: its rows, its staging tables and its ledger.
     * Never the project's license usage (usage belongs to the project name: a delete and a new
     * start must not give a fresh allowance), so never the schema either. Target tables are never
     * touched.
     */
    public Deleted delete(Connection c, String sinkConnector) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            List<String> stages = stages(c);
            int rows = 0;
            try (Statement st = c.createStatement()) {
                for (String stage : stages) {
                    st.execute("DROP TABLE IF EXISTS " + schema.table(Identifiers.quote(stage)));
                }
            }
            for (String table : List.of("stage_table", "iteration_partition", "iteration_table", "iteration",
                    "partition_state", "table_state", "action_log", "error_rows")) {
                rows += deleteWhere(c, table, "project", project);
            }
            if (schema.version(c) >= BULK_LOAD_VERSION) { // a schema from before has no bulk load record
                rows += deleteWhere(c, "bulk_load", "project", project);
            }
            rows += deleteWhere(c, "kafka_offsets", "connector", sinkConnector);
            rows += deleteWhere(c, "project", "name", project);
            c.commit();
            return new Deleted(rows, stages);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private int deleteWhere(Connection c, String table, String column, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + schema.table(table) + " WHERE " + column + " = ?")) {
            ps.setString(1, value);
            return ps.executeUpdate();
        }
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
