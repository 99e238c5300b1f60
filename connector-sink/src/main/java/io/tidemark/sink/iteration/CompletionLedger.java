package io.tidemark.sink.iteration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.DesiredStates;

/**
 * The ledger as the iteration coordinator reads and closes it: the project's iteration lock, an
 * iteration's row, the facts {@link IterationDecision} decides on, and the rows that record an
 * iteration applied and complete. Each method runs in the caller's transaction.
 */
public final class CompletionLedger {

    /** An iteration's row: its status, whether the FULL tables have it, whether it is a soft stop's last. */
    public record IterationRow(String status, boolean fullyApplied, boolean isFinal) {
        public boolean complete() {
            return "APPLIED".equals(status);
        }
    }

    private final ControlSchema control;
    private final String project;

    public CompletionLedger(ControlSchema control, String project) {
        this.control = control;
        this.project = project;
    }

    /**
     * Takes the project's iteration lock for the transaction, unless another session holds it (it
     * completes an iteration, or drops staged rows): one FULL apply at a time, and never an abort
     * in the middle of one.
     *
     * @return false when another session holds it
     */
    public boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "tidemark:iteration:" + project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Iteration {@code n}'s row, locked; null when no marker {@code n} was seen yet. */
    public IterationRow lockIteration(Connection c, long n) throws SQLException {
        return iteration(c, n, " FOR UPDATE");
    }

    private IterationRow iteration(Connection c, long n, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status, full_applied_at IS NOT NULL, final FROM "
                + control.table("iteration") + " WHERE project = ? AND iteration = ?" + lock)) {
            ps.setString(1, project);
            ps.setLong(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new IterationRow(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3)) : null;
            }
        }
    }

    /** The iterations not complete yet, oldest first. */
    public List<Long> openIterations(Connection c) throws SQLException {
        List<Long> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT iteration FROM " + control.table("iteration")
                + " WHERE project = ? AND status <> 'APPLIED' ORDER BY iteration")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getLong(1));
                }
            }
        }
        return result;
    }

    /** What the decision on iteration {@code n} needs. */
    public IterationDecision.Facts facts(Connection c, long n, boolean fullyApplied, Set<String> configured)
            throws SQLException {
        return new IterationDecision.Facts(n, fullyApplied, n == 0 || hasFullApply(c, n - 1), tables(c), passed(c, n),
                n == 0 ? Map.of() : passed(c, n - 1),
                numberPerTable(c, "SELECT source_table, count(*) FROM " + control.table("partition_state")
                        + " WHERE project = ? GROUP BY source_table"),
                firstMarkers(c), snapshotApplied(c), configured);
    }

    /** Iteration {@code n} was applied to the FULL tables, or the ledger has no such iteration. */
    private boolean hasFullApply(Connection c, long n) throws SQLException {
        IterationRow row = iteration(c, n, "");
        return row == null || row.fullyApplied();
    }

    private List<IterationDecision.TableRow> tables(Connection c) throws SQLException {
        List<IterationDecision.TableRow> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, target_table, mode,"
                + " coalesce(accepted_state, 'RUNNING'), status FROM " + control.table("table_state")
                + " WHERE project = ? ORDER BY source_table")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new IterationDecision.TableRow(rs.getString(1), rs.getString(2),
                            ConsistencyMode.parse(rs.getString(3)), DesiredStates.Accepted.valueOf(rs.getString(4)),
                            TableStatus.valueOf(rs.getString(5))));
                }
            }
        }
        return result;
    }

    private Map<String, IterationDecision.Passed> passed(Connection c, long iteration) throws SQLException {
        Map<String, IterationDecision.Passed> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, count(DISTINCT (topic, kafka_partition)),"
                + " coalesce(max(partition_count), 0) FROM " + control.table("iteration_partition")
                + " WHERE project = ? AND iteration = ? GROUP BY source_table")) {
            ps.setString(1, project);
            ps.setLong(2, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), new IterationDecision.Passed(rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return result;
    }

    private boolean snapshotApplied(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + control.table("iteration")
                + " WHERE project = ? AND iteration = 0 AND status = 'APPLIED'")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The first marker each table passed. One index lookup per table (the ledger's partitions by
     * table), not a scan of the whole ledger: this runs at every poll while an iteration is open.
     */
    private Map<String, Long> firstMarkers(Connection c) throws SQLException {
        return numberPerTable(c, "SELECT t.source_table, f.first FROM " + control.table("table_state") + " t"
                + " CROSS JOIN LATERAL (SELECT min(p.iteration) AS first FROM " + control.table("iteration_partition")
                + " p WHERE p.project = t.project AND p.source_table = t.source_table) f"
                + " WHERE t.project = ? AND f.first IS NOT NULL");
    }

    /** {@code sql} selects a source table and a number, for the project its one parameter names. */
    private Map<String, Long> numberPerTable(Connection c, String sql) throws SQLException {
        Map<String, Long> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return result;
    }

    /** A FULL table got iteration {@code n}: its counts, and when. */
    public void fullTableApplied(Connection c, long n, String table, long upserted, long deleted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + control.table("iteration_table") + " AS t"
                + " (project, iteration, source_table, mode, upserted, deleted, completed_at)"
                + " VALUES (?, ?, ?, 'FULL', ?, ?, now()) ON CONFLICT (project, iteration, source_table) DO UPDATE"
                + " SET mode = 'FULL', upserted = t.upserted + EXCLUDED.upserted,"
                + " deleted = t.deleted + EXCLUDED.deleted, completed_at = now()")) {
            ps.setString(1, project);
            ps.setLong(2, n);
            ps.setString(3, table);
            ps.setLong(4, upserted);
            ps.setLong(5, deleted);
            ps.executeUpdate();
        }
    }

    /** The FULL tables have iteration {@code n} (their one transaction is this one). */
    public void fullyApplied(Connection c, long n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + control.table("iteration")
                + " SET full_applied_at = now() WHERE project = ? AND iteration = ?")) {
            ps.setString(1, project);
            ps.setLong(2, n);
            ps.executeUpdate();
        }
    }

    /** Tables past marker {@code n} are complete for it. */
    public void tablesPast(Connection c, long n, List<IterationDecision.TableRow> past) throws SQLException {
        for (IterationDecision.TableRow t : past) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + control.table("iteration_table") + " AS t"
                    + " (project, iteration, source_table, mode, completed_at) VALUES (?, ?, ?, ?, now())"
                    + " ON CONFLICT (project, iteration, source_table) DO UPDATE"
                    + " SET completed_at = coalesce(t.completed_at, now())")) {
                ps.setString(1, project);
                ps.setLong(2, n);
                ps.setString(3, t.source());
                ps.setString(4, t.mode().name());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + control.table("table_state")
                    + " SET iteration = greatest(coalesce(iteration, -1), ?) WHERE project = ? AND source_table = ?")) {
                ps.setLong(1, n);
                ps.setString(2, project);
                ps.setString(3, t.source());
                ps.executeUpdate();
            }
        }
    }

    /** Iteration {@code n} is complete: its counts are the sum of its tables'. */
    public void complete(Connection c, long n, int completed, int total) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + control.table("iteration") + " i SET"
                + " status = 'APPLIED', applied_at = now(), waiting_for = NULL, tables_completed = ?, tables_total = ?,"
                + " upserted = s.upserted, deleted = s.deleted, bytes = s.bytes,"
                + " apply_ms = CASE WHEN i.first_seen_at IS NULL THEN NULL"
                + "   ELSE (extract(epoch FROM now() - i.first_seen_at) * 1000)::bigint END,"
                + " duration_ms = (SELECT (extract(epoch FROM now() - p.applied_at) * 1000)::bigint FROM "
                + control.table("iteration") + " p WHERE p.project = i.project AND p.iteration < i.iteration"
                + "   AND p.applied_at IS NOT NULL ORDER BY p.iteration DESC LIMIT 1)"
                + " FROM (SELECT coalesce(sum(upserted), 0) AS upserted, coalesce(sum(deleted), 0) AS deleted,"
                + "   coalesce(sum(bytes), 0) AS bytes FROM " + control.table("iteration_table")
                + "   WHERE project = ? AND iteration = ?) s"
                + " WHERE i.project = ? AND i.iteration = ?")) {
            ps.setInt(1, completed);
            ps.setInt(2, total);
            ps.setString(3, project);
            ps.setLong(4, n);
            ps.setString(5, project);
            ps.setLong(6, n);
            ps.executeUpdate();
        }
    }

    /** Iteration {@code n} waits: for what, in words ({@code tablesTotal} null leaves the count as it is). */
    public void waiting(Connection c, long n, String waitingFor, Integer tablesTotal) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + control.table("iteration")
                + " SET status = 'WAITING', waiting_for = ?, tables_total = coalesce(?, tables_total)"
                + " WHERE project = ? AND iteration = ? AND status <> 'APPLIED'")) {
            ps.setString(1, waitingFor);
            ps.setObject(2, tablesTotal, java.sql.Types.INTEGER);
            ps.setString(3, project);
            ps.setLong(4, n);
            ps.executeUpdate();
        }
    }
}
