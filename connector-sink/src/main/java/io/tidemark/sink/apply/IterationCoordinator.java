package io.tidemark.sink.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.DesiredStates;
import io.tidemark.sink.naming.Identifiers;
import io.tidemark.sink.naming.TargetTable;

/**
 * Completes iterations. Any task may call {@link #tryComplete} (one at a time per project, under an
 * advisory lock); it looks at the ledger and the tables, and:
 * <ul>
 * <li>when every partition of every FULL table taking part has passed marker N, applies the staged
 *     changes of iteration N to all of them in ONE transaction (readers see the FULL tables only
 *     as the source was at some marker);</li>
 * <li>when every table has passed marker N, closes iteration N in the ledger with its counts;</li>
 * <li>otherwise says what it waits for.</li>
 * </ul>
 * The partitions to wait for come from the topics (the marker records say how many partitions
 * their topic has), not from one task's assignment. A FULL table takes part in iteration N when it
 * is not stopped or aborted and all its partitions have passed marker N−1; a table that was stopped
 * and catches up rejoins at the next marker (its staged changes are applied with that iteration).
 * Until iteration 0 is complete, a table of the connector's {@code topics} list is in the stream
 * even before any task holds its partitions (a task got them late, its topic appeared late): the
 * iterations wait for it, so that the FULL tables never start from different markers. A table that
 * appears once iteration 0 is complete (through {@code topics.regex}, or added to the list later)
 * joins at its first marker.
 */
public final class IterationCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(IterationCoordinator.class);

    /** What became of the iteration. */
    public record Result(long iteration, boolean fullyApplied, boolean complete, String waitingFor) {
    }

    private record Table(String source, TargetTable target, ConsistencyMode mode, DesiredStates.Accepted accepted,
                         TableStatus status) {
        boolean active() {
            return !accepted.leavesIterations() && status != TableStatus.ERROR_ABORTED;
        }
    }

    /** Partitions of a table that passed a marker, and how many the table has. */
    private record Passed(long partitions, long partitionCount) {
    }

    private final ControlSchema control;
    private final String project;
    private final DesiredStates desiredStates;
    /** The tables of the connector's {@code topics} list ({@code SCHEMA.TABLE}): in the stream from iteration 0. */
    private final Set<String> configured;

    public IterationCoordinator(ControlSchema control, String project, Set<String> configured) {
        this.control = control;
        this.project = project;
        this.desiredStates = new DesiredStates(control, project);
        this.configured = Set.copyOf(configured);
    }

    /** Completes what it can of iteration {@code n}, in the caller's transaction (the caller commits). */
    public Result tryComplete(Connection c, long n) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext(" + Identifiers.literal("tidemark:iteration:" + project)
                    + "))");
        }
        String status;
        Timestamp fullAppliedAt;
        Timestamp firstSeenAt;
        boolean isFinal;
        try (PreparedStatement ps = c.prepareStatement("SELECT status, full_applied_at, first_seen_at, final FROM "
                + control.table("iteration") + " WHERE project = ? AND iteration = ? FOR UPDATE")) {
            ps.setString(1, project);
            ps.setLong(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Result(n, false, false, "no marker " + n + " seen yet");
                }
                status = rs.getString(1);
                fullAppliedAt = rs.getTimestamp(2);
                firstSeenAt = rs.getTimestamp(3);
                isFinal = rs.getBoolean(4);
            }
        }
        if ("APPLIED".equals(status)) {
            return new Result(n, true, true, null);
        }
        Map<String, Table> tables = tables(c);
        Map<String, Passed> passedN = passed(c, n);
        Map<String, Passed> passedBefore = n == 0 ? Map.of() : passed(c, n - 1);
        Map<String, Long> assigned = assignedPartitions(c);
        Map<String, Long> firstMarker = firstMarkers(c);
        // Only while a configured table has passed no marker does it matter whether iteration 0 is complete
        // (iteration n itself is not: it would have returned above).
        boolean unseenConfigured = configured.stream().anyMatch(t -> !firstMarker.containsKey(t));
        boolean snapshotOpen = unseenConfigured && (n == 0 || !snapshotApplied(c));

        // Members: the active tables that are in the stream at N (a table that joined later is not).
        // Members of the FULL apply: the FULL ones of them that passed N-1 everywhere (a table catching
        // up after a stop takes part from a later iteration, and its staged changes with it).
        List<Table> members = new ArrayList<>();
        List<Table> full = new ArrayList<>();
        boolean fullReady = true;
        List<String> waiting = new ArrayList<>();
        for (Table t : tables.values()) {
            // Before iteration 0 is complete, a configured table that passed no marker yet is in the stream
            // and waits for its partitions; any other table joins at its first marker.
            boolean expected = snapshotOpen && !firstMarker.containsKey(t.source()) && configured.contains(t.source());
            if (!t.active() || (!expected && firstMarker.getOrDefault(t.source(), Long.MAX_VALUE) > n)) {
                continue;
            }
            members.add(t);
            long total = partitionCount(t.source(), passedN, passedBefore, assigned);
            long passed = passedN.containsKey(t.source()) ? passedN.get(t.source()).partitions() : 0;
            boolean past = total > 0 && passed >= total;
            if (!past) {
                waiting.add(t.source() + " (" + passed + " of " + (total == 0 ? "?" : total)
                        + " partitions past marker " + n + ")");
            }
            boolean member = n == 0 || expected || (passedBefore.containsKey(t.source())
                    && passedBefore.get(t.source()).partitions() >= total);
            if (member && t.mode() == ConsistencyMode.FULL) {
                full.add(t);
                fullReady &= past;
            }
        }
        boolean fullyApplied = fullAppliedAt != null;
        if (fullReady && !fullyApplied) {
            applyFull(c, n, full);
            fullyApplied = true;
        }
        boolean complete = waiting.isEmpty() && fullyApplied && !members.isEmpty();
        closeTables(c, n, members, waiting);
        if (complete) {
            closeIteration(c, n, members.size(), tables.size(), firstSeenAt);
            if (isFinal) {
                for (Table t : members) {
                    desiredStates.stoppedAfterFinalIteration(c, t.source(), n);
                }
            }
            LOG.info("Iteration {} complete: {} table(s){}", n, members.size(), isFinal ? " (final: they stop)" : "");
        } else {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + control.table("iteration")
                    + " SET status = 'WAITING', waiting_for = ?, tables_total = ? WHERE project = ? AND iteration = ?")) {
                ps.setString(1, String.join("; ", waiting));
                ps.setInt(2, tables.size());
                ps.setString(3, project);
                ps.setLong(4, n);
                ps.executeUpdate();
            }
        }
        return new Result(n, fullyApplied, complete, waiting.isEmpty() ? null : String.join("; ", waiting));
    }

    /** The one transaction of a FULL iteration: every FULL table's staged changes up to N, into the target. */
    private void applyFull(Connection c, long n, List<Table> full) throws SQLException {
        long started = System.nanoTime();
        Map<String, String> stages = stages(c);
        long upserted = 0;
        long deleted = 0;
        for (Table t : full) {
            String stageName = stages.get(t.source());
            ApplyCounts counts = ApplyCounts.NONE;
            if (stageName != null) {
                counts = DurableStage.applyStaged(c, DurableStage.qualified(control, stageName), t.target(), n);
            }
            upserted += counts.upserted();
            deleted += counts.deleted();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + control.table("iteration_table") + " AS t"
                    + " (project, iteration, source_table, mode, upserted, deleted, completed_at)"
                    + " VALUES (?, ?, ?, 'FULL', ?, ?, now()) ON CONFLICT (project, iteration, source_table) DO UPDATE"
                    + " SET mode = 'FULL', upserted = t.upserted + EXCLUDED.upserted,"
                    + " deleted = t.deleted + EXCLUDED.deleted, completed_at = now()")) {
                ps.setString(1, project);
                ps.setLong(2, n);
                ps.setString(3, t.source());
                ps.setLong(4, counts.upserted());
                ps.setLong(5, counts.deleted());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + control.table("iteration")
                + " SET full_applied_at = now() WHERE project = ? AND iteration = ?")) {
            ps.setString(1, project);
            ps.setLong(2, n);
            ps.executeUpdate();
        }
        if (!full.isEmpty()) {
            LOG.info("Iteration {} applied to {} FULL table(s) in one transaction: {} upserted, {} deleted, {} ms", n,
                    full.size(), upserted, deleted, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Tables past marker N are complete for N. */
    private void closeTables(Connection c, long n, List<Table> members, List<String> waiting) throws SQLException {
        for (Table t : members) {
            if (waiting.stream().anyMatch(w -> w.startsWith(t.source() + " ("))) {
                continue;
            }
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

    private void closeIteration(Connection c, long n, int completed, int total, Timestamp firstSeenAt)
            throws SQLException {
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

    private Map<String, Table> tables(Connection c) throws SQLException {
        Map<String, Table> result = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, target_table, mode,"
                + " coalesce(accepted_state, 'RUNNING'), status FROM " + control.table("table_state")
                + " WHERE project = ? ORDER BY source_table")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String target = rs.getString(2);
                    int dot = target.indexOf('.');
                    result.put(rs.getString(1), new Table(rs.getString(1),
                            new TargetTable(target.substring(0, dot), target.substring(dot + 1)),
                            ConsistencyMode.parse(rs.getString(3)), DesiredStates.Accepted.valueOf(rs.getString(4)),
                            TableStatus.valueOf(rs.getString(5))));
                }
            }
        }
        return result;
    }

    private Map<String, Passed> passed(Connection c, long iteration) throws SQLException {
        Map<String, Passed> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, count(DISTINCT (topic, kafka_partition)),"
                + " coalesce(max(partition_count), 0) FROM " + control.table("iteration_partition")
                + " WHERE project = ? AND iteration = ? GROUP BY source_table")) {
            ps.setString(1, project);
            ps.setLong(2, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), new Passed(rs.getLong(2), rs.getLong(3)));
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
     * The first marker each table passed: a table is in the stream from there. One index lookup per
     * table (the ledger's partitions by table), not a scan of the whole ledger: this runs at every
     * poll while an iteration is open, and the ledger grows with every marker.
     */
    private Map<String, Long> firstMarkers(Connection c) throws SQLException {
        return numberPerTable(c, "SELECT t.source_table, f.first FROM " + control.table("table_state") + " t"
                + " CROSS JOIN LATERAL (SELECT min(p.iteration) AS first FROM " + control.table("iteration_partition")
                + " p WHERE p.project = t.project AND p.source_table = t.source_table) f"
                + " WHERE t.project = ? AND f.first IS NOT NULL");
    }

    /** Partitions the tasks have registered per table: the count when the markers do not say it (version 1 markers). */
    private Map<String, Long> assignedPartitions(Connection c) throws SQLException {
        return numberPerTable(c, "SELECT source_table, count(*) FROM " + control.table("partition_state")
                + " WHERE project = ? GROUP BY source_table");
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

    private static long partitionCount(String table, Map<String, Passed> passedN, Map<String, Passed> passedBefore,
                                       Map<String, Long> assigned) {
        long fromMarkers = Math.max(passedN.containsKey(table) ? passedN.get(table).partitionCount() : 0,
                passedBefore.containsKey(table) ? passedBefore.get(table).partitionCount() : 0);
        return fromMarkers > 0 ? fromMarkers : assigned.getOrDefault(table, 0L);
    }

    private Map<String, String> stages(Connection c) throws SQLException {
        Map<String, String> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, stage_name FROM "
                + control.table("stage_table") + " WHERE project = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return result;
    }
}
