package io.tidemark.sink.flush;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.batch.ApplyCounts;
import io.tidemark.sink.batch.Route;
import io.tidemark.sink.batch.Segment;
import io.tidemark.sink.batch.TableBatch;
import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.control.ControlTables.ErrorRow;
import io.tidemark.sink.copy.CopyRows;
import io.tidemark.sink.copy.DirectCopyPolicy;
import io.tidemark.sink.copy.EncodedSegment;
import io.tidemark.sink.copy.SegmentEncoder;
import io.tidemark.sink.copy.StagingTable;
import io.tidemark.sink.copy.TableApplier;
import io.tidemark.sink.copy.UnavailableFill;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.iteration.DurableStage;
import io.tidemark.sink.schema.TableModel;
import io.tidemark.sink.types.CopyBinaryWriter;
import io.tidemark.sink.types.CopyTextWriter;

/**
 * Applies one table's segments of a batch inside the flush's transaction: encodes each segment
 * into a {@code COPY} as it goes, merges it set-based, and when PostgreSQL refuses a row, finds it
 * by bisecting the segment under savepoints and hands it to the table's error policy.
 */
public final class TableRowsApplier {

    private static final Logger LOG = LoggerFactory.getLogger(TableRowsApplier.class);

    private final Connection connection;
    private final TableApplier applier;
    private final TablePreparation preparation;
    private final SegmentEncoder encoder;
    private final ErrorPolicies policies;
    /** The segment being applied is in one of these, as its staging table's COPY format says. */
    private final CopyTextWriter textBuffer = new CopyTextWriter(1 << 20);
    private final CopyBinaryWriter binaryBuffer = new CopyBinaryWriter(1 << 20);
    private final DirectCopyPolicy directCopy = new DirectCopyPolicy();
    private final MoveWaits moveWaits;
    private int savepoints;
    /**
     * Whether the table being applied goes under savepoints: a refused COPY or merge is then rolled
     * back alone and bisected. Without them a refusal fails the flush's transaction, and the flush
     * is applied again with them ({@link BatchApplier}).
     */
    private boolean underSavepoints = true;

    /** Where the rows a policy set aside go: error rows to write, and the outcome's counters. */
    record Sink(List<ErrorRow> errorRows, FlushOutcome outcome) {
    }

    TableRowsApplier(Connection connection, TableApplier applier, TablePreparation preparation, SegmentEncoder encoder,
                     ErrorPolicies policies, MoveWaits moveWaits) {
        this.connection = connection;
        this.moveWaits = moveWaits;
        this.applier = applier;
        this.preparation = preparation;
        this.encoder = encoder;
        this.policies = policies;
    }

    Savepoint savepoint(String prefix) throws SQLException {
        return connection.setSavepoint(prefix + (++savepoints));
    }

    /**
     * Applies the table's segments in order: into the target, or, for a staged route, into the FULL
     * table's durable stage (the counts are then what was staged, not yet applied).
     */
    ApplyCounts apply(TableBatch table, Sink sink, boolean underSavepoints) throws SQLException, TableFailure {
        this.underSavepoints = underSavepoints;
        ApplyCounts counts = ApplyCounts.NONE;
        ErrorPolicy policy = policies.of(table.source());
        Route route = table.route();
        for (Segment segment : table.segments()) {
            TableModel model = segment.model();
            if (segment.truncateFirst() && route.staged()) {
                // A FULL table's truncate waits for its iteration, after the changes before it.
                preparation.stageTruncate(table.source(), table.target(), route.iteration());
            }
            if (model == null) { // only a truncate, and no schema seen yet
                if (!route.staged()) {
                    truncateIfExists(table);
                }
                continue;
            }
            Map<String, String> types = preparation.types(model);
            if (types == null) {
                continue; // deletes for a table that does not exist: nothing to delete
            }
            StagingTable staging = applier.staging(model, types);
            if (segment.truncateFirst() && !route.staged()) {
                applier.truncateTarget(staging);
            }
            TableApplier.RowsInto into = applier::merge;
            UnavailableFill fill = new UnavailableFill(connection, null, 0);
            if (route.staged()) {
                DurableStage stage = preparation.stage(model);
                List<String> stageColumns = preparation.stageColumns(model);
                into = (st, encoded, from, to) -> stage.stage(connection, st, encoded, from, to, route.iteration(),
                        route.partition(), stageColumns);
                fill = new UnavailableFill(connection, stage.qualified(), route.iteration());
            }
            counts = counts.plus(encodeAndApply(table, staging, segment, policy, sink, into, fill));
        }
        return counts;
    }

    /** Applies a segment (below), then hands the rows nothing could fill to the table's error policy. */
    private ApplyCounts encodeAndApply(TableBatch table, StagingTable staging, Segment segment, ErrorPolicy policy,
                                       Sink sink, TableApplier.RowsInto into, UnavailableFill fill)
            throws SQLException, TableFailure {
        // A range applied again after a refusal finds its rows again: each row is handed over once.
        Map<Integer, UnavailableFill.Unfillable> unfillable = new TreeMap<>();
        TableApplier.RowsInto filled = (st, encoded, from, to) -> {
            fill.fill(st, encoded).forEach(u -> unfillable.putIfAbsent(u.row(), u));
            return into.take(st, encoded, from, to);
        };
        ApplyCounts counts = encodeAndApplyRows(table, staging, segment, policy, sink, filled);
        moveWaits.waitForOldKeys(unfillable.values(), System.currentTimeMillis());
        for (UnavailableFill.Unfillable u : unfillable.values()) {
            String reason = UnavailableFill.reason(u, segment.model()) + moveWaits.gaveUp(u);
            if (policy == ErrorPolicy.FAIL) {
                throw new TableFailure("record " + describe(u.change().record()) + ": " + reason
                        + " (table.error.policy=fail)");
            }
            setAside(table, u.change().record(), reason, policy, sink);
        }
        return counts;
    }

    /**
     * Encodes a segment and applies it. The rows go into the {@code COPY} while they are encoded,
     * a chunk at a time, so PostgreSQL parses one chunk while Java encodes the next (on two cores,
     * the encoding is then mostly hidden). The whole segment stays in the buffer: when PostgreSQL
     * refuses a row, the bisection sends ranges of it again.
     *
     * <p>A segment of inserts only (a snapshot, an insert-heavy stream) first goes straight into
     * the target with one {@code COPY}: that halves PostgreSQL's work. If any of its keys exists
     * already (a replay after a restart, a re-snapshot) or a row is refused, the attempt is rolled
     * back (to its savepoint; a table applied whole that never refused one has none, and the flush
     * goes back) and the segment takes the staged upsert, which settles every case.
     */
    private ApplyCounts encodeAndApplyRows(TableBatch table, StagingTable staging, Segment segment, ErrorPolicy policy,
                                           Sink sink, TableApplier.RowsInto into) throws SQLException, TableFailure {
        List<String> badFail = new ArrayList<>();
        SegmentEncoder.BadRowHandler onBadRow = (change, reason) -> {
            if (policy == ErrorPolicy.FAIL) {
                badFail.add(describe(change.record()) + ": " + reason);
            } else {
                setAside(table, change.record(), reason, policy, sink);
            }
        };
        if (!table.route().staged() && segment.onlyInserts() && directCopy.mayTry(table.target())) {
            ApplyCounts counts = tryDirectCopy(table, staging, segment, onBadRow, badFail, sink.outcome());
            if (counts != null) {
                return counts;
            }
            // The rows the encoder refused were handed to the policy already; they fail again, quietly.
            onBadRow = (change, reason) -> { };
        }
        CopyRows rows = staging.rows(textBuffer, binaryBuffer);
        rows.buffer().reset();
        Savepoint savepoint = underSavepoints ? savepoint("tm_rows_") : null;
        EncodedSegment encoded = null;
        try {
            TableApplier.StreamingCopy copy = applier.startCopy(staging);
            encoded = streamInto(copy, segment, rows, onBadRow, badFail, savepoint, true);
            copy.finish(rows.buffer());
            applier.staged(staging, encoded.size());
            ApplyCounts counts = into.take(staging, encoded, 0, encoded.size());
            release(savepoint);
            sink.outcome().bytes += encoded.valueBytes(0, encoded.size());
            return counts;
        } catch (SQLException e) {
            if (savepoint == null) {
                throw e; // the flush's transaction failed: it is applied again under savepoints
            }
            connection.rollback(savepoint);
            if (encoded == null) {
                throw e; // the COPY could not even start: nothing about a row
            }
            return refused(e, table, staging, encoded, 0, encoded.size(), policy, sink, true, into);
        }
    }

    /**
     * One {@code COPY} of an insert-only segment straight into the target.
     *
     * @return the rows inserted, or null when PostgreSQL refused the COPY (a key exists, a value
     *         does not fit): rolled back to its savepoint, for the staged path to apply; without a
     *         savepoint the refusal is thrown
     */
    private ApplyCounts tryDirectCopy(TableBatch table, StagingTable staging, Segment segment,
                                      SegmentEncoder.BadRowHandler onBadRow, List<String> badFail,
                                      FlushOutcome outcome) throws SQLException, TableFailure {
        CopyRows rows = staging.rows(textBuffer, binaryBuffer);
        rows.buffer().reset();
        // A table that never refused one takes it without a savepoint (a refusal sends the flush back).
        boolean guarded = underSavepoints || directCopy.refusedLately(table.target());
        Savepoint savepoint = guarded ? savepoint("tm_direct_") : null;
        EncodedSegment encoded = null;
        try {
            TableApplier.StreamingCopy copy = applier.startDirectCopy(staging);
            encoded = streamInto(copy, segment, rows, onBadRow, badFail, savepoint, false);
            long inserted = copy.finish(rows.buffer());
            release(savepoint);
            outcome.bytes += encoded.valueBytes(0, encoded.size());
            directCopy.succeeded(table.target());
            return new ApplyCounts(inserted, 0);
        } catch (SQLException e) {
            if (savepoint != null) {
                connection.rollback(savepoint);
            }
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            directCopy.refused(table.target());
            if (savepoint == null) {
                throw new DirectCopyRefused(e);
            }
            LOG.debug("Direct COPY into {} refused ({}); applying the segment as upserts", table.target(),
                    SqlErrors.describe(e));
            return null;
        }
    }

    /**
     * Encodes the segment into a started {@code COPY}, which sends each chunk as it fills. A bad row
     * under policy {@code fail} cancels the COPY, rolls back to the savepoint (if any) and fails the table.
     */
    private EncodedSegment streamInto(TableApplier.StreamingCopy copy, Segment segment, CopyRows rows,
                                      SegmentEncoder.BadRowHandler onBadRow, List<String> badFail,
                                      Savepoint savepoint, boolean staged) throws SQLException, TableFailure {
        EncodedSegment encoded = null;
        try {
            encoded = encoder.encode(segment, rows, onBadRow, copy, staged);
        } finally {
            if (encoded == null || !badFail.isEmpty()) {
                copy.cancel();
            }
        }
        if (!badFail.isEmpty()) {
            if (savepoint != null) {
                connection.rollback(savepoint);
            }
            throw new TableFailure("record " + badFail.get(0) + " (table.error.policy=fail)");
        }
        return encoded;
    }

    private void release(Savepoint savepoint) throws SQLException {
        if (savepoint != null) {
            connection.releaseSavepoint(savepoint);
        }
    }

    /** Applies rows {@code from..to}; a refusal bisects them (see {@link #refused}). */
    private ApplyCounts applyRange(TableBatch table, StagingTable staging, EncodedSegment encoded, int from, int to,
                                   ErrorPolicy policy, Sink sink, TableApplier.RowsInto into)
            throws SQLException, TableFailure {
        if (from >= to) {
            return ApplyCounts.NONE;
        }
        Savepoint savepoint = savepoint("tm_rows_");
        try {
            ApplyCounts counts = applier.apply(staging, encoded, from, to, into);
            connection.releaseSavepoint(savepoint);
            sink.outcome().bytes += encoded.valueBytes(from, to);
            return counts;
        } catch (SQLException e) {
            connection.rollback(savepoint);
            return refused(e, table, staging, encoded, from, to, policy, sink, false, into);
        }
    }

    /**
     * PostgreSQL refused rows {@code from..to} (rolled back): halve the range under savepoints
     * until the refused rows are alone, and hand each to the error policy. A refusal that is not
     * about a row's values fails the table; a transient one fails the flush.
     */
    private ApplyCounts refused(SQLException e, TableBatch table, StagingTable staging, EncodedSegment encoded,
                                int from, int to, ErrorPolicy policy, Sink sink, boolean top,
                                TableApplier.RowsInto into) throws SQLException, TableFailure {
        if (SqlErrors.isTransient(e)) {
            throw e;
        }
        if (!SqlErrors.isDataError(e)) {
            throw new TableFailure("applying to " + table.target() + " failed: " + SqlErrors.describe(e));
        }
        if (top) {
            LOG.info("PostgreSQL refused a row of {} ({}); looking for it among {} rows", table.target(),
                    SqlErrors.describe(e), to - from);
        }
        if (to - from == 1) {
            SinkRecord record = encoded.rows.get(from).record();
            if (policy == ErrorPolicy.FAIL) {
                throw new TableFailure("record " + describe(record) + ": " + SqlErrors.describe(e)
                        + " (table.error.policy=fail)");
            }
            setAside(table, record, SqlErrors.describe(e), policy, sink);
            return ApplyCounts.NONE;
        }
        int mid = (from + to) >>> 1;
        return applyRange(table, staging, encoded, from, mid, policy, sink, into)
                .plus(applyRange(table, staging, encoded, mid, to, policy, sink, into));
    }

    /** A row the policy sets aside: flagged into {@code error_rows}, or skipped with a log line. */
    private static void setAside(TableBatch table, SinkRecord record, String reason, ErrorPolicy policy, Sink sink) {
        if (policy == ErrorPolicy.FLAG) {
            sink.errorRows().add(new ErrorRow(table.source().qualified(), table.target().toString(), record, reason));
        } else {
            sink.outcome().skipped++;
            LOG.warn("Skipped record {} of table {}: {} (table.error.policy=skip)", describe(record), table.source(),
                    reason);
        }
    }

    private void truncateIfExists(TableBatch table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table.target().quoted());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
        }
        try (var st = connection.createStatement()) {
            st.execute("TRUNCATE " + table.target().quoted());
        }
    }

    public static String describe(SinkRecord record) {
        return record.originalTopic() + "/" + record.originalKafkaPartition() + "@" + record.originalKafkaOffset();
    }
}
