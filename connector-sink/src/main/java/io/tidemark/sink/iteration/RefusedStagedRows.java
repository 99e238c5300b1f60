package io.tidemark.sink.iteration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.batch.ApplyCounts;
import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.naming.Identifiers;
import io.tidemark.sink.naming.TargetTable;

/**
 * The apply of a FULL iteration for a table under policy {@code skip} or {@code flag} whose staged
 * rows the target refused (a value it will not take, a constraint): the table's rows of each
 * iteration are applied in halves, in the stage's physical order, each under a savepoint, until
 * the refused rows are alone; each is logged (skip) or written to {@code error_rows} (flag) and
 * the rest is applied. A staged row keeps its partition but not its offset: its error row has
 * {@code kafka_offset} -1.
 */
final class RefusedStagedRows {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedStagedRows.class);

    private final ControlSchema control;
    private final String project;
    private final String connector;
    private int savepoints;

    RefusedStagedRows(ControlSchema control, String project, String connector) {
        this.control = control;
        this.project = project;
        this.connector = connector;
    }

    /** Applies the stage up to {@code upTo} around the rows the target refuses; in the caller's transaction. */
    ApplyCounts apply(Connection c, String sourceTable, String stageQualified, TargetTable target, long upTo,
                      Long truncateAt, ErrorPolicy policy) throws SQLException {
        List<String> columns = List.copyOf(DurableStage.columns(c, stageQualified).keySet());
        List<String> keys = DurableStage.keyColumns(c, stageQualified);
        ApplyCounts counts = ApplyCounts.NONE;
        boolean truncated = truncateAt == null;
        for (long i : DurableStage.iterationsUpTo(c, stageQualified, upTo)) {
            if (!truncated && i >= truncateAt) {
                DurableStage.emptyTarget(c, target);
                truncated = true;
            }
            Rows rows = new Rows(sourceTable, stageQualified, target, columns, keys, i, rowsOf(c, stageQualified, i),
                    policy);
            counts = counts.plus(range(c, rows, 0, rows.ctids.size()));
        }
        if (!truncated) {
            DurableStage.emptyTarget(c, target);
        }
        DurableStage.forgetUpTo(c, stageQualified, upTo);
        return counts;
    }

    private record Rows(String sourceTable, String stage, TargetTable target, List<String> columns, List<String> keys,
                        long iteration, List<String> ctids, ErrorPolicy policy) {
    }

    private ApplyCounts range(Connection c, Rows rows, int from, int to) throws SQLException {
        if (from >= to) {
            return ApplyCounts.NONE;
        }
        Savepoint savepoint = c.setSavepoint("tm_staged_" + (++savepoints));
        try {
            ApplyCounts counts = DurableStage.applyIteration(c, rows.stage(), rows.target(), rows.columns(), rows.keys(),
                    rows.iteration(), "s.ctid BETWEEN " + Identifiers.literal(rows.ctids().get(from)) + "::tid AND "
                            + Identifiers.literal(rows.ctids().get(to - 1)) + "::tid");
            c.releaseSavepoint(savepoint);
            return counts;
        } catch (SQLException e) {
            c.rollback(savepoint);
            if (SqlErrors.isTransient(e) || !SqlErrors.isDataError(e)) {
                throw e;
            }
            if (to - from == 1) {
                setAside(c, rows, rows.ctids().get(from), SqlErrors.describe(e));
                return ApplyCounts.NONE;
            }
            int mid = (from + to) >>> 1;
            return range(c, rows, from, mid).plus(range(c, rows, mid, to));
        }
    }

    private static List<String> rowsOf(Connection c, String stage, long iteration) throws SQLException {
        List<String> ctids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ctid::text FROM " + stage + " WHERE "
                + Identifiers.quote(DurableStage.ITERATION) + " = ? ORDER BY ctid")) {
            ps.setLong(1, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ctids.add(rs.getString(1));
                }
            }
        }
        return ctids;
    }

    private void setAside(Connection c, Rows rows, String ctid, String why) throws SQLException {
        String reason = "iteration " + rows.iteration() + ": " + rows.target() + " refused this staged row: " + why;
        String row = "to_jsonb(s) - " + Identifiers.literal(DurableStage.ITERATION) + " - "
                + Identifiers.literal(DurableStage.DELETE) + " - " + Identifiers.literal(DurableStage.UNAVAILABLE)
                + " - " + Identifiers.literal(DurableStage.PARTITION);
        String key = "jsonb_build_object(" + String.join(", ", rows.keys().stream()
                .map(k -> Identifiers.literal(k) + ", s." + Identifiers.quote(k)).toList()) + ")";
        if (rows.policy() == ErrorPolicy.SKIP) {
            try (PreparedStatement ps = c.prepareStatement("SELECT (" + row + ")::text FROM " + rows.stage()
                    + " s WHERE s.ctid = ?::tid")) {
                ps.setString(1, ctid);
                try (ResultSet rs = ps.executeQuery()) {
                    LOG.warn("Skipped a staged row of FULL table {}: {}; {} (table.error.policy=skip)", rows.sourceTable(),
                            rs.next() ? rs.getString(1) : ctid, reason);
                }
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + control.table("error_rows")
                + " (project, connector, source_table, target_table, topic, kafka_partition, kafka_offset, record_key,"
                + " reason, payload) SELECT ?, ?, ?, ?, coalesce((SELECT topic FROM " + control.table("table_state")
                + " WHERE project = ? AND source_table = ?), ''), s." + Identifiers.quote(DurableStage.PARTITION)
                + ", -1, (" + key + ")::text, ?, (" + row + ")::text FROM " + rows.stage() + " s WHERE s.ctid = ?::tid")) {
            ps.setString(1, project);
            ps.setString(2, connector);
            ps.setString(3, rows.sourceTable());
            ps.setString(4, rows.target().toString());
            ps.setString(5, project);
            ps.setString(6, rows.sourceTable());
            ps.setString(7, reason);
            ps.setString(8, ctid);
            ps.executeUpdate();
        }
    }
}
