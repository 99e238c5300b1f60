package io.tidemark.sink.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.control.ControlTables.ErrorRow;
import io.tidemark.sink.control.ControlTables.LedgerEntry;
import io.tidemark.sink.control.ControlTables.StatusChange;
import io.tidemark.sink.control.ControlTables.TableStatus;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.sink.schema.TableDefinitionException;
import io.tidemark.sink.schema.TableModel;
import io.tidemark.sink.schema.TableSynchronizer;
import io.tidemark.sink.types.CopyTextWriter;

/**
 * Applies a pending batch in ONE transaction: every table's segments (set-based), the flagged
 * records, the iteration ledger, table status changes and the Kafka offsets the batch covers.
 * Either all of it commits or none of it does, which is what makes the sink exactly-once.
 *
 * <p>A table that fails (its definition does not fit, or a bad row under the {@code fail} policy)
 * is rolled back to its savepoint and left out, with its partitions' offsets; the other tables
 * commit. A row that PostgreSQL refuses (a value too long, a constraint) is found by bisecting the
 * segment under savepoints, and goes to its table's error policy.
 */
final class BatchApplier {

    private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);

    /** Thrown inside a table's apply to abandon the table; carries the reason for its status. */
    private static final class TableFailure extends Exception {
        TableFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Connection connection;
    private final TableApplier applier;
    private final TableSynchronizer synchronizer;
    private final SegmentEncoder encoder;
    private final ErrorPolicies policies;
    private final OffsetStore offsets;
    private final ControlTables control;
    private final FlushGuard guard;
    private final CopyTextWriter buffer = new CopyTextWriter(1 << 20);
    private final DirectCopyPolicy directCopy = new DirectCopyPolicy();
    /** Target column types per model, once the table is known to fit. */
    private final Map<TableModel, Map<String, String>> preparedTypes = new IdentityHashMap<>();
    private final Map<SourceTable, TableStatus> knownStatus;
    private int savepoints;

    BatchApplier(Connection connection, TableSynchronizer synchronizer, SegmentEncoder encoder, ErrorPolicies policies,
                 OffsetStore offsets, ControlTables control, FlushGuard guard,
                 Map<SourceTable, TableStatus> knownStatus) {
        this.connection = connection;
        this.applier = new TableApplier(connection);
        this.synchronizer = synchronizer;
        this.encoder = encoder;
        this.policies = policies;
        this.offsets = offsets;
        this.control = control;
        this.guard = guard;
        this.knownStatus = knownStatus;
    }

    Connection connection() {
        return connection;
    }

    /** A flush that was rolled back on purpose: the guard said no. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Applies the batch and commits.
     *
     * @param statusChanges table status changes decided outside the flush (e.g. a table failed at
     *                      read time), written in the same transaction
     * @throws SQLException on a database error outside any one table (the caller decides whether to retry)
     * @throws Refused      when the flush guard refused the flush (rolled back whole)
     */
    FlushOutcome apply(PendingBatch batch, Map<SourceTable, StatusChange> statusChanges) throws SQLException, Refused {
        FlushOutcome outcome = new FlushOutcome();
        outcome.records = batch.records();
        Map<SourceTable, String> failed = outcome.failedTables;
        List<ErrorRow> errorRows = new ArrayList<>();
        for (PendingBatch.FlaggedRecord f : batch.flagged()) {
            errorRows.add(new ErrorRow(f.table().qualified(), null, f.record(), f.reason()));
        }

        // Table definitions first, each in a transaction of its own (DDL, advisory locks).
        for (TableBatch table : batch.tables()) {
            try {
                for (Segment segment : table.segments()) {
                    prepare(segment.model());
                }
            } catch (TableDefinitionException e) {
                failed.put(table.source(), e.getMessage());
            }
        }

        boolean committed = false;
        try {
            for (TableBatch table : batch.tables()) {
                if (failed.containsKey(table.source())) {
                    continue;
                }
                Savepoint savepoint = connection.setSavepoint("tm_table_" + (++savepoints));
                List<ErrorRow> tableErrors = new ArrayList<>();
                try {
                    long[] counts = applyTable(table, tableErrors, outcome);
                    connection.releaseSavepoint(savepoint);
                    outcome.upserted += counts[0];
                    outcome.deleted += counts[1];
                    errorRows.addAll(tableErrors);
                } catch (TableFailure e) {
                    connection.rollback(savepoint);
                    failed.put(table.source(), e.getMessage());
                }
            }

            Set<TopicPartition> failedPartitions = new java.util.HashSet<>();
            batch.nextOffsets().keySet().forEach(tp -> {
                for (SourceTable t : batch.tablesOf(tp)) {
                    if (failed.containsKey(t)) {
                        failedPartitions.add(tp);
                    }
                }
            });
            errorRows.removeIf(r -> failed.keySet().stream().anyMatch(t -> t.qualified().equals(r.sourceTable())));
            control.recordErrors(connection, errorRows);
            outcome.flagged += errorRows.size();

            List<LedgerEntry> ledger = new ArrayList<>();
            for (PendingBatch.MarkerSeen m : batch.markers()) {
                if (!failed.containsKey(m.table())) {
                    ledger.add(new LedgerEntry(m.table().qualified(), m.partition().topic(), m.partition().partition(),
                            m.offset(), m.marker()));
                }
            }
            control.recordMarkers(connection, ledger);

            Map<TopicPartition, Long> toStore = new HashMap<>(batch.nextOffsets());
            toStore.keySet().removeAll(failedPartitions);
            offsets.save(connection, toStore);
            outcome.committedOffsets.putAll(toStore);

            writeStatuses(batch, failed, statusChanges);

            String refusal = guard == null ? null : guard.beforeCommit(connection, outcome.bytes);
            if (refusal != null) {
                connection.rollback();
                applier.transactionEnded();
                committed = true; // handled: nothing to roll back in finally
                throw new Refused(refusal);
            }
            applier.clearStagingBeforeCommit();
            connection.commit();
            applier.transactionEnded();
            committed = true;
            for (Map.Entry<SourceTable, String> f : failed.entrySet()) {
                knownStatus.put(f.getKey(), TableStatus.ERROR_ABORTED);
            }
            return outcome;
        } finally {
            if (!committed) {
                rollbackQuietly();
            }
        }
    }

    private void writeStatuses(PendingBatch batch, Map<SourceTable, String> failed, Map<SourceTable, StatusChange> statusChanges)
            throws SQLException {
        for (Map.Entry<SourceTable, StatusChange> change : statusChanges.entrySet()) {
            StatusChange c = change.getValue();
            control.setStatus(connection, change.getKey().qualified(), c.targetTable(), c.status(), c.reason());
        }
        for (TableBatch table : batch.tables()) {
            String reason = failed.get(table.source());
            TableStatus status = reason == null ? TableStatus.RUNNING : TableStatus.ERROR_ABORTED;
            if (reason != null || knownStatus.get(table.source()) != TableStatus.RUNNING) {
                control.setStatus(connection, table.source().qualified(), table.target().toString(), status, reason);
                if (reason == null) {
                    knownStatus.put(table.source(), TableStatus.RUNNING);
                }
            }
        }
    }

    private void prepare(TableModel model) throws SQLException {
        if (model == null || preparedTypes.containsKey(model)) {
            return;
        }
        try {
            Map<String, String> types = synchronizer.synchronize(connection, model);
            if (types == null) {
                return; // no table yet (deletes only): look again next time, it may exist by then
            }
            applier.staging(model, types); // created now, committed: a rollback in the flush keeps it
            connection.commit();
            preparedTypes.put(model, types);
        } catch (SQLException e) {
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            throw new TableDefinitionException("cannot prepare table " + model.target() + ": " + SqlErrors.describe(e), e);
        }
    }

    /** Forgets what was prepared for the table, so it is looked at again (after it failed). */
    void forget(SourceTable table) {
        preparedTypes.keySet().removeIf(m -> m.source().equals(table));
    }

    private long[] applyTable(TableBatch table, List<ErrorRow> errorRows, FlushOutcome outcome)
            throws SQLException, TableFailure {
        long upserted = 0;
        long deleted = 0;
        ErrorPolicy policy = policies.of(table.source());
        for (Segment segment : table.segments()) {
            TableModel model = segment.model();
            if (model == null) { // only a truncate, and no schema seen yet
                truncateIfExists(table);
                continue;
            }
            Map<String, String> types = preparedTypes.get(model);
            if (types == null) {
                continue; // deletes for a table that does not exist: nothing to delete
            }
            StagingTable staging = applier.staging(model, types);
            if (segment.truncateFirst()) {
                applier.truncateTarget(staging);
            }
            long[] counts = encodeAndApply(table, staging, segment, policy, errorRows, outcome);
            upserted += counts[0];
            deleted += counts[1];
        }
        return new long[] {upserted, deleted};
    }

    /**
     * Encodes a segment and applies it. The rows go into the {@code COPY} while they are encoded,
     * a chunk at a time, so PostgreSQL parses one chunk while Java encodes the next (on two cores,
     * the encoding is then mostly hidden). The whole segment stays in the buffer: when PostgreSQL
     * refuses a row, the bisection sends ranges of it again.
     *
     * <p>A segment of inserts only (a snapshot, an insert-heavy stream) first goes straight into
     * the target with one {@code COPY}, under a savepoint: that halves PostgreSQL's work. If any of
     * its keys exists already (a replay after a restart, a re-snapshot) or a row is refused, the
     * attempt is rolled back and the segment takes the staged upsert, which settles every case.
     */
    private long[] encodeAndApply(TableBatch table, StagingTable staging, Segment segment, ErrorPolicy policy,
                                  List<ErrorRow> errorRows, FlushOutcome outcome) throws SQLException, TableFailure {
        List<String> badFail = new ArrayList<>();
        SegmentEncoder.BadRowHandler onBadRow = (change, reason) -> {
            if (policy == ErrorPolicy.FAIL) {
                badFail.add(describe(change.record()) + ": " + reason);
            } else {
                handleBadRow(table, change.record(), reason, policy, errorRows, outcome);
            }
        };
        if (segment.onlyInserts() && directCopy.mayTry(table.target())) {
            long[] counts = tryDirectCopy(table, staging, segment, onBadRow, badFail, outcome);
            if (counts != null) {
                return counts;
            }
            // The rows the encoder refused were handed to the policy already; they fail again, quietly.
            onBadRow = (change, reason) -> { };
        }
        buffer.reset();
        Savepoint savepoint = connection.setSavepoint("tm_rows_" + (++savepoints));
        EncodedSegment encoded = null;
        try {
            TableApplier.StreamingCopy copy = applier.startCopy(staging);
            encoded = streamInto(copy, segment, onBadRow, badFail, savepoint, true);
            copy.finish(buffer);
            long[] counts = applier.merge(staging, encoded, 0, encoded.size());
            connection.releaseSavepoint(savepoint);
            outcome.bytes += encoded.valueBytes(0, encoded.size());
            return counts;
        } catch (SQLException e) {
            connection.rollback(savepoint);
            if (encoded == null) {
                throw e; // the COPY could not even start: nothing about a row
            }
            return refused(e, table, staging, encoded, 0, encoded.size(), policy, errorRows, outcome, true);
        }
    }

    /**
     * One {@code COPY} of an insert-only segment straight into the target.
     *
     * @return the rows inserted and 0 deleted, or null when PostgreSQL refused the COPY (a key
     *         exists, a value does not fit): rolled back, for the staged path to apply
     */
    private long[] tryDirectCopy(TableBatch table, StagingTable staging, Segment segment,
                                 SegmentEncoder.BadRowHandler onBadRow, List<String> badFail, FlushOutcome outcome)
            throws SQLException, TableFailure {
        buffer.reset();
        Savepoint savepoint = connection.setSavepoint("tm_direct_" + (++savepoints));
        EncodedSegment encoded = null;
        try {
            TableApplier.StreamingCopy copy = applier.startDirectCopy(staging);
            encoded = streamInto(copy, segment, onBadRow, badFail, savepoint, false);
            long inserted = copy.finish(buffer);
            connection.releaseSavepoint(savepoint);
            outcome.bytes += encoded.valueBytes(0, encoded.size());
            directCopy.succeeded(table.target());
            return new long[] {inserted, 0};
        } catch (SQLException e) {
            connection.rollback(savepoint);
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            directCopy.refused(table.target());
            LOG.debug("Direct COPY into {} refused ({}); applying the segment as upserts", table.target(),
                    SqlErrors.describe(e));
            return null;
        }
    }

    /**
     * Encodes the segment into a started {@code COPY}, which sends each chunk as it fills. A bad row
     * under policy {@code fail} cancels the COPY, rolls back to the savepoint and fails the table.
     */
    private EncodedSegment streamInto(TableApplier.StreamingCopy copy, Segment segment,
                                      SegmentEncoder.BadRowHandler onBadRow, List<String> badFail,
                                      Savepoint savepoint, boolean staged) throws SQLException, TableFailure {
        EncodedSegment encoded = null;
        try {
            encoded = encoder.encode(segment, buffer, onBadRow, copy, staged);
        } finally {
            if (encoded == null || !badFail.isEmpty()) {
                copy.cancel();
            }
        }
        if (!badFail.isEmpty()) {
            connection.rollback(savepoint);
            throw new TableFailure("record " + badFail.get(0) + " (table.error.policy=fail)");
        }
        return encoded;
    }

    /**
     * Applies rows {@code from..to}; when PostgreSQL refuses one of them, bisects under savepoints
     * until the refused rows are alone, and hands them to the error policy.
     */
    private long[] applyRange(TableBatch table, StagingTable staging, EncodedSegment encoded, int from, int to,
                              ErrorPolicy policy, List<ErrorRow> errorRows, FlushOutcome outcome, boolean top)
            throws SQLException, TableFailure {
        if (from >= to) {
            return new long[] {0, 0};
        }
        Savepoint savepoint = connection.setSavepoint("tm_rows_" + (++savepoints));
        try {
            long[] counts = applier.apply(staging, encoded, buffer, from, to);
            connection.releaseSavepoint(savepoint);
            outcome.bytes += encoded.valueBytes(from, to);
            return counts;
        } catch (SQLException e) {
            connection.rollback(savepoint);
            return refused(e, table, staging, encoded, from, to, policy, errorRows, outcome, top);
        }
    }

    /** PostgreSQL refused rows {@code from..to} (rolled back): bisect down to the refused rows. */
    private long[] refused(SQLException e, TableBatch table, StagingTable staging, EncodedSegment encoded, int from,
                           int to, ErrorPolicy policy, List<ErrorRow> errorRows, FlushOutcome outcome, boolean top)
            throws SQLException, TableFailure {
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
            handleBadRow(table, record, SqlErrors.describe(e), policy, errorRows, outcome);
            return new long[] {0, 0};
        }
        int mid = (from + to) >>> 1;
        long[] a = applyRange(table, staging, encoded, from, mid, policy, errorRows, outcome, false);
        long[] b = applyRange(table, staging, encoded, mid, to, policy, errorRows, outcome, false);
        return new long[] {a[0] + b[0], a[1] + b[1]};
    }

    private void handleBadRow(TableBatch table, SinkRecord record, String reason, ErrorPolicy policy,
                              List<ErrorRow> errorRows, FlushOutcome outcome) {
        if (policy == ErrorPolicy.FLAG) {
            errorRows.add(new ErrorRow(table.source().qualified(), table.target().toString(), record, reason));
        } else {
            outcome.skipped++;
            LOG.warn("Skipped record {} of table {}: {} (table.error.policy=skip)", describe(record), table.source(), reason);
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

    static String describe(SinkRecord record) {
        return record.originalTopic() + "/" + record.originalKafkaPartition() + "@" + record.originalKafkaOffset();
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback failed (the connection is probably gone): {}", e.getMessage());
        }
        applier.transactionEnded();
    }

    /** Called when this applier's connection is abandoned. */
    void close() {
        applier.connectionLost();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the connection failed: {}", e.getMessage());
        }
    }
}
