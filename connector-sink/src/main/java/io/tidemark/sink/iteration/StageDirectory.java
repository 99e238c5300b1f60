package io.tidemark.sink.iteration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import io.tidemark.sink.batch.ApplyCounts;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.naming.TargetTable;

/**
 * The project's durable stages as {@code <control>.stage_table} lists them: which FULL source
 * table stages where, the truncate a stage holds for a later iteration, and the lock that keeps a
 * flush staging into a table apart from draining it. Each method runs in the caller's transaction.
 */
public final class StageDirectory {

    private final ControlSchema control;
    private final String project;

    public StageDirectory(ControlSchema control, String project) {
        this.control = control;
        this.project = project;
    }

    /** The stage name of each source table of the project that has one. */
    Map<String, String> names(Connection c) throws SQLException {
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

    /** The stage of a source table ({@code "control"."stage_…"}), or null when it has none. */
    String stageOf(Connection c, String sourceTable) throws SQLException {
        String name = names(c).get(sourceTable);
        return name == null ? null : DurableStage.qualified(control, name);
    }

    /**
     * Staging into a FULL table's stage and draining it (the table became PARTIAL) exclude each other:
     * a flush stages under the shared lock after it checked that the table is still FULL, and the
     * drain takes it exclusively, so it waits for the flushes staging now, and the later ones see
     * PARTIAL. Held until the transaction ends.
     */
    public void lock(Connection c, String sourceTable, boolean exclusive) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock" + (exclusive ? "" : "_shared")
                + "(hashtext(?))")) {
            ps.setString(1, "tidemark:stage:" + project + ":" + sourceTable);
            ps.executeQuery().close();
        }
    }

    /**
     * The source table was truncated in {@code iteration}: the target is emptied when that iteration
     * is applied, and what was staged before it is wiped now. The stage's row is written even before
     * the stage itself exists.
     */
    public void truncate(Connection c, String sourceTable, DurableStage stage, long iteration) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + control.table("stage_table") + " AS s"
                + " (project, source_table, target_table, stage_name, truncate_iteration) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (project, source_table) DO UPDATE"
                + " SET truncate_iteration = greatest(s.truncate_iteration, EXCLUDED.truncate_iteration)")) {
            ps.setString(1, project);
            ps.setString(2, sourceTable);
            ps.setString(3, stage.target().toString());
            ps.setString(4, stage.name());
            ps.setLong(5, iteration);
            ps.executeUpdate();
        }
        stage.wipeUpTo(c, iteration);
    }

    /**
     * Applies a source table's stage up to {@code upTo} to its target, with the truncate it holds
     * for one of those iterations.
     */
    ApplyCounts apply(Connection c, String sourceTable, String stageName, TargetTable target, long upTo)
            throws SQLException {
        return DurableStage.applyStaged(c, DurableStage.qualified(control, stageName), target, upTo,
                takeTruncate(c, sourceTable, upTo));
    }

    /** A FULL table became PARTIAL: all it staged goes to the target now, once no flush stages into it. */
    public ApplyCounts drain(Connection c, String sourceTable, TargetTable target) throws SQLException {
        lock(c, sourceTable, true);
        String name = names(c).get(sourceTable);
        return name == null ? ApplyCounts.NONE : apply(c, sourceTable, name, target, Long.MAX_VALUE);
    }

    /** The iteration up to {@code upTo} a truncate is staged for, taken off the stage's row; null when none. */
    Long takeTruncate(Connection c, String sourceTable, long upTo) throws SQLException {
        Long at;
        try (PreparedStatement ps = c.prepareStatement("SELECT truncate_iteration FROM " + control.table("stage_table")
                + " WHERE project = ? AND source_table = ? FOR UPDATE")) {
            ps.setString(1, project);
            ps.setString(2, sourceTable);
            try (ResultSet rs = ps.executeQuery()) {
                at = rs.next() ? (Long) rs.getObject(1) : null;
            }
        }
        if (at == null || at > upTo) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + control.table("stage_table")
                + " SET truncate_iteration = NULL WHERE project = ? AND source_table = ?")) {
            ps.setString(1, project);
            ps.setString(2, sourceTable);
            ps.executeUpdate();
        }
        return at;
    }
}
