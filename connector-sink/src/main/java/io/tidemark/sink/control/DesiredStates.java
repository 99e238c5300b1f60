package io.tidemark.sink.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.control.SoftStop;
import io.tidemark.common.control.TableAction;
import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.config.ConsistencyMode;

/**
 * The operator's side of the control schema: desired states and modes, written by the control API
 * or by plain SQL, and what the sink makes of them. Any task may process a pending request (rows
 * are locked with SKIP LOCKED, so exactly one does): it is accepted when the table's status allows
 * it (docs/design.md's action table, {@link TableAction}) and refused otherwise, the refusal recorded
 * with the reason on the row and in {@code action_log}. All tasks then follow the accepted state.
 */
public final class DesiredStates {

    private static final Logger LOG = LoggerFactory.getLogger(DesiredStates.class);

    /** A mode change the sink accepted; a FULL table becoming PARTIAL has its staged changes applied at once. */
    public record ModeChange(String sourceTable, ConsistencyMode from, ConsistencyMode to) {
    }

    private final List<ModeChange> modeChanges = new ArrayList<>();

    /** The mode changes accepted by the last {@link #processRequests}. */
    public List<ModeChange> acceptedModeChanges() {
        return List.copyOf(modeChanges);
    }

    /**
     * What a table's accepted state asks of the tasks that apply it. ABORTED: a task stopped the
     * table for an error; every task holds it as if STOPPED until an operator starts it (a retry)
     * or stops it (the error acknowledged: the table becomes STOPPED).
     */
    public enum Accepted {
        RUNNING, PAUSED, STOPPED, FINALIZING, ABORTED;

        /** Its partitions are paused: nothing of the table is applied. */
        public boolean holds() {
            return this == PAUSED || this == STOPPED || this == ABORTED;
        }

        /** The table takes no part in the FULL iterations. */
        public boolean leavesIterations() {
            return this == STOPPED || this == ABORTED;
        }
    }

    /**
     * A table as the control schema has it now.
     *
     * @param startCount raised by every accepted start: a task that stopped the table for an error retries it
     */
    public record TableControl(String sourceTable, ConsistencyMode mode, Accepted accepted, TableStatus status,
                               long startCount) {
    }

    private final String project;
    private final String projectTable;
    private final String tableState;
    private final String actionLog;

    public DesiredStates(ControlSchema control, String project) {
        this.project = project;
        this.projectTable = control.table("project");
        this.tableState = control.table("table_state");
        this.actionLog = control.table("action_log");
    }

    /**
     * Makes sure the table has its row, with the mode the configuration gives it. For a table known
     * already whose mode differs, the configured mode becomes a request (taken only while the table
     * is STOPPED, refused with the reason otherwise), as a mode set through SQL would.
     */
    public void register(Connection c, String sourceTable, String targetTable, String topic, ConsistencyMode configured)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + tableState + " AS t"
                + " (project, source_table, target_table, topic, status, mode) VALUES (?, ?, ?, ?, 'RUNNING', ?)"
                + " ON CONFLICT (project, source_table) DO UPDATE SET topic = EXCLUDED.topic,"
                + " desired_mode = CASE WHEN t.mode <> EXCLUDED.mode AND t.desired_mode IS NULL THEN EXCLUDED.mode"
                + " ELSE t.desired_mode END")) {
            ps.setString(1, project);
            ps.setString(2, sourceTable);
            ps.setString(3, targetTable);
            ps.setString(4, topic);
            ps.setString(5, configured.name());
            ps.executeUpdate();
        }
    }

    /** The project's tables as the control schema has them now. */
    public Map<String, TableControl> read(Connection c) throws SQLException {
        Map<String, TableControl> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, mode, coalesce(accepted_state, 'RUNNING'),"
                + " status, start_count FROM " + tableState + " WHERE project = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), new TableControl(rs.getString(1), ConsistencyMode.parse(rs.getString(2)),
                            Accepted.valueOf(rs.getString(3)), TableStatus.valueOf(rs.getString(4)), rs.getLong(5)));
                }
            }
        }
        return result;
    }

    /**
     * Accepts or refuses the project's pending requests (project and tables), in the caller's
     * transaction. Rows another task is deciding on are skipped.
     *
     * @return what was decided, for the log
     */
    public List<String> processRequests(Connection c) throws SQLException {
        modeChanges.clear();
        List<String> decisions = new ArrayList<>();
        processProjectRequest(c, decisions);
        processTableRequests(c, decisions);
        return decisions;
    }

    private void processProjectRequest(Connection c, List<String> decisions) throws SQLException {
        String desired;
        String accepted;
        try (PreparedStatement ps = c.prepareStatement("SELECT desired_state, accepted_state FROM " + projectTable
                + " WHERE name = ? AND desired_state <> accepted_state FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                desired = rs.getString(1).trim().toUpperCase(Locale.ROOT);
                accepted = rs.getString(2);
            }
        }
        Map<String, TableControl> tables = new java.util.TreeMap<>(read(c));
        Map<String, TableStatus> statuses = new java.util.TreeMap<>();
        tables.forEach((t, control) -> statuses.put(t, control.status()));
        String refusal = switch (desired) {
            case "RUNNING" -> {
                setTables(c, tables, TableAction.START::allowedIn, Accepted.RUNNING, decisions, "project start");
                yield null;
            }
            case "PAUSED" -> {
                setTables(c, tables, TableAction.PAUSE::allowedIn, Accepted.PAUSED, decisions, "project pause");
                statuses.forEach((t, s) -> {
                    if (!TableAction.PAUSE.allowedIn(s)) {
                        decisions.add(TableAction.PAUSE.refusal(t, s));
                    }
                });
                yield null;
            }
            case "SOFT_STOP" -> {
                String blocked = SoftStop.refusal(statuses);
                if (blocked != null) {
                    yield blocked;
                }
                setTables(c, tables, s -> s != TableStatus.STOPPED, Accepted.FINALIZING, decisions, "soft stop");
                yield null;
            }
            case "STOPPED" -> {
                setTables(c, tables, s -> true, Accepted.STOPPED, decisions, "project stop");
                yield null;
            }
            default -> "unknown desired state '" + desired + "' (RUNNING, PAUSED, SOFT_STOP or STOPPED)";
        };
        try (PreparedStatement ps = c.prepareStatement(refusal == null
                ? "UPDATE " + projectTable + " SET desired_state = ?, accepted_state = ?, refusal = NULL,"
                + " refused_at = NULL, state_changed_at = now() WHERE name = ?"
                : "UPDATE " + projectTable + " SET desired_state = ?, accepted_state = ?, refusal = ?,"
                + " refused_at = now() WHERE name = ?")) {
            int i = 1;
            ps.setString(i++, refusal == null ? desired : accepted);
            ps.setString(i++, refusal == null ? desired : accepted);
            if (refusal != null) {
                ps.setString(i++, refusal);
            }
            ps.setString(i, project);
            ps.executeUpdate();
        }
        log(c, null, "project " + desired, refusal == null ? "accepted" : "refused", refusal);
        decisions.add(refusal == null ? "project " + project + ": " + desired + " accepted" : refusal);
    }

    private void setTables(Connection c, Map<String, TableControl> tables, java.util.function.Predicate<TableStatus> which,
                           Accepted to, List<String> decisions, String why) throws SQLException {
        for (TableControl t : tables.values()) {
            // By the accepted state, not only the status: a table started a moment ago still shows STOPPED.
            if (!which.test(t.status()) || t.accepted() == to) {
                continue;
            }
            accept(c, t.sourceTable(), to, to == Accepted.RUNNING);
            log(c, t.sourceTable(), why, "accepted", null);
            decisions.add(t.sourceTable() + ": " + to + " (" + why + ")");
        }
    }

    private void processTableRequests(Connection c, List<String> decisions) throws SQLException {
        record Pending(String table, TableStatus status, String desired, String accepted, String mode,
                       String desiredMode) {
        }
        List<Pending> pending = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, status, coalesce(desired_state, 'RUNNING'),"
                + " coalesce(accepted_state, 'RUNNING'), mode, desired_mode FROM " + tableState + " WHERE project = ?"
                + " AND (coalesce(desired_state, 'RUNNING') <> coalesce(accepted_state, 'RUNNING')"
                + " OR (desired_mode IS NOT NULL AND desired_mode <> mode)) FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.add(new Pending(rs.getString(1), TableStatus.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        for (Pending p : pending) {
            if (!p.desired().equalsIgnoreCase(p.accepted())) {
                TableAction action = TableAction.forDesiredState(p.desired());
                String refusal = action == null
                        ? "unknown desired state '" + p.desired() + "' for " + p.table() + " (RUNNING, PAUSED or STOPPED)"
                        : action.allowedIn(p.status()) ? null : action.refusal(p.table(), p.status());
                if (refusal == null) {
                    accept(c, p.table(), Accepted.valueOf(action.desiredState()), action == TableAction.START);
                    log(c, p.table(), action.name().toLowerCase(Locale.ROOT), "accepted", null);
                    decisions.add(p.table() + ": " + action.name().toLowerCase(Locale.ROOT) + " accepted");
                } else {
                    refuse(c, p.table(), "UPDATE " + tableState + " SET desired_state = accepted_state, refusal = ?,"
                            + " refused_at = now() WHERE project = ? AND source_table = ?", refusal);
                    log(c, p.table(), p.desired(), "refused", refusal);
                    decisions.add(refusal);
                }
            }
            if (p.desiredMode() != null && !p.desiredMode().equalsIgnoreCase(p.mode())) {
                decideMode(c, p.table(), p.status(), p.mode(), p.desiredMode(), decisions);
            }
        }
    }

    private void decideMode(Connection c, String table, TableStatus status, String mode, String desiredMode,
                            List<String> decisions) throws SQLException {
        ConsistencyMode to;
        try {
            to = ConsistencyMode.parse(desiredMode);
        } catch (IllegalArgumentException e) {
            String refusal = "unknown mode '" + desiredMode + "' for " + table + " (PARTIAL or FULL)";
            refuse(c, table, "UPDATE " + tableState + " SET desired_mode = NULL, refusal = ?, refused_at = now()"
                    + " WHERE project = ? AND source_table = ?", refusal);
            decisions.add(refusal);
            return;
        }
        if (!TableAction.modeChangeAllowedIn(status)) {
            String refusal = TableAction.modeRefusal(table, status, to.name());
            refuse(c, table, "UPDATE " + tableState + " SET desired_mode = NULL, refusal = ?, refused_at = now()"
                    + " WHERE project = ? AND source_table = ?", refusal);
            log(c, table, "mode " + to, "refused", refusal);
            decisions.add(refusal);
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + tableState + " SET mode = ?, desired_mode = NULL,"
                + " refusal = NULL, refused_at = NULL, updated_at = now() WHERE project = ? AND source_table = ?")) {
            ps.setString(1, to.name());
            ps.setString(2, project);
            ps.setString(3, table);
            ps.executeUpdate();
        }
        log(c, table, "mode " + to, "accepted", "was " + mode);
        modeChanges.add(new ModeChange(table, ConsistencyMode.parse(mode), to));
        decisions.add(table + ": mode " + mode + " -> " + to + " accepted");
    }

    /** Sets the accepted (and desired) state; a start raises the start count, so that tasks retry a table they stopped. */
    private void accept(Connection c, String table, Accepted to, boolean start) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + tableState + " SET desired_state = ?,"
                + " accepted_state = ?, refusal = NULL, refused_at = NULL, start_count = start_count + ?"
                + " WHERE project = ? AND source_table = ?")) {
            ps.setString(1, to.name()); // desired = accepted: nothing pending (FINALIZING too, or a start would be asked)
            ps.setString(2, to.name());
            ps.setInt(3, start ? 1 : 0);
            ps.setString(4, project);
            ps.setString(5, table);
            ps.executeUpdate();
        }
    }

    /**
     * A table stopped with an error (ERROR_ABORTED): it counts as stopped everywhere — every task
     * pauses its partitions, a FULL table leaves the iterations — until an operator starts it.
     *
     * @return the table's start count now: a start raises it
     */
    public long stoppedForError(Connection c, String table, String reason) throws SQLException {
        // desired = accepted = ABORTED: no request is pending until an operator writes RUNNING or STOPPED.
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + tableState + " SET desired_state = 'ABORTED',"
                + " accepted_state = 'ABORTED' WHERE project = ? AND source_table = ?"
                + " AND coalesce(accepted_state, 'RUNNING') NOT IN ('STOPPED', 'ABORTED')")) {
            ps.setString(1, project);
            ps.setString(2, table);
            if (ps.executeUpdate() > 0) {
                log(c, table, "error", "stopped", reason);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT start_count FROM " + tableState
                + " WHERE project = ? AND source_table = ?")) {
            ps.setString(1, project);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * A table reached its final marker (soft stop) and is stopped: it stays stopped until started,
     * whatever a restart of the task does.
     */
    public void stoppedAfterFinalIteration(Connection c, String table, long iteration) throws SQLException {
        accept(c, table, Accepted.STOPPED, false);
        log(c, table, "final iteration " + iteration + " applied", "stopped", null);
    }

    private void refuse(Connection c, String table, String sql, String refusal) throws SQLException {
        LOG.warn("{}", refusal);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, refusal);
            ps.setString(2, project);
            ps.setString(3, table);
            ps.executeUpdate();
        }
    }

    private void log(Connection c, String table, String action, String outcome, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + actionLog
                + " (project, source_table, action, outcome, reason) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, project);
            ps.setString(2, table);
            ps.setString(3, action);
            ps.setString(4, outcome);
            ps.setString(5, reason);
            ps.executeUpdate();
        }
    }
}
