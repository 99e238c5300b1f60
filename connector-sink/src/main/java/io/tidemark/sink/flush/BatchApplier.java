package io.tidemark.sink.flush;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.batch.ApplyCounts;
import io.tidemark.sink.batch.PendingBatch;
import io.tidemark.sink.batch.Segment;
import io.tidemark.sink.batch.TableBatch;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.ControlTables.ErrorRow;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.control.PartitionStatus;
import io.tidemark.sink.copy.SegmentEncoder;
import io.tidemark.sink.copy.TableApplier;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.iteration.IterationLedger;
import io.tidemark.sink.iteration.StageDirectory;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.sink.schema.TableDefinitionException;
import io.tidemark.sink.schema.TableModel;
import io.tidemark.sink.schema.TableSynchronizer;
import io.tidemark.sink.control.TableView;

/**
 * Applies a pending batch in ONE transaction: every table's segments (set-based), the flagged
 * records, the iteration ledger, partition and table statuses, license usage and the Kafka
 * offsets the batch covers. Either all of it commits or none of it does, which is what makes the
 * sink exactly-once. The offsets are saved only under the epochs the task claimed its partitions
 * with: a task that lost a partition to another cannot commit (see {@link OffsetStore}).
 *
 * <p>A table that fails (its definition does not fit, or a bad row under the {@code fail} policy)
 * is rolled back to its savepoint and left out, with its partitions' offsets; the other tables
 * commit. The savepoints are set only where they are needed: a flush goes whole first, and only
 * when PostgreSQL refuses something is it rolled back and applied again under them.
 */
public final class BatchApplier {

    private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);

    private final Connection connection;
    private final TableApplier tables;
    private final TablePreparation preparation;
    private final TableRowsApplier rows;
    private final OffsetStore offsets;
    private final ControlTables control;
    private final FlushGuard guard;
    private final IterationLedger ledger;
    private final TableView view;
    private final StageDirectory stages;
    /** The status last committed per table partition, so that an unchanged one is not written again. */
    private final Map<PendingBatch.PartitionKey, TableStatus> knownStatus;
    /** Tables PostgreSQL refused in a flush applied whole: they go under savepoints from then on. */
    private final Set<SourceTable> suspects = new HashSet<>();

    BatchApplier(Connection connection, TableSynchronizer synchronizer, SegmentEncoder encoder, ErrorPolicies policies,
                 OffsetStore offsets, ControlTables control, ControlSchema controlSchema, IterationLedger ledger,
                 TableView view, FlushGuard guard, Map<PendingBatch.PartitionKey, TableStatus> knownStatus,
                 MoveWaits moveWaits) {
        this.connection = connection;
        this.tables = new TableApplier(connection);
        this.preparation = new TablePreparation(connection, synchronizer, tables, control, controlSchema);
        this.rows = new TableRowsApplier(connection, tables, preparation, encoder, policies, moveWaits);
        this.offsets = offsets;
        this.control = control;
        this.ledger = ledger;
        this.view = view;
        this.stages = new StageDirectory(controlSchema, control.project());
        this.guard = guard;
        this.knownStatus = knownStatus;
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Applies the batch and commits.
     *
     * @param epochs the epochs the task holds its partitions under
     * @param before the offsets the task last committed (or claimed with) for them: the database must still hold them
     * @throws SQLException      on a database error outside any one table (the caller decides whether to retry)
     * @throws MoveWaitsForOldRow when key changes wait for their old rows (rolled back whole)
     * @throws FlushRefused      when the flush guard refused the flush (rolled back whole)
     * @throws PartitionsFenced  when another task owns some of the batch's partitions now, or the database went
     *                           back (rolled back whole)
     */
    public FlushOutcome apply(PendingBatch batch, Map<TopicPartition, Long> epochs, Map<TopicPartition, Long> before)
            throws SQLException, FlushRefused, PartitionsFenced {
        Map<SourceTable, String> unprepared = prepare(batch);
        try {
            return apply(batch, unprepared, epochs, before, false);
        } catch (RefusedWhole e) {
            LOG.debug("PostgreSQL refused table {} of a flush applied whole ({}); applying the flush again, table by"
                    + " table under savepoints", e.table, e.getMessage());
            try {
                return apply(batch, unprepared, epochs, before, true);
            } catch (RefusedWhole never) {
                throw new IllegalStateException("a table under its savepoint fails alone", never);
            }
        }
    }

    /**
     * Table definitions first: the new ones all at once, in a transaction of their own (DDL lock);
     * then the durable stages of FULL tables, one by one (rare). Both commit: a flush rolled back
     * keeps them.
     *
     * @return the tables that cannot be written, with the reason
     */
    private Map<SourceTable, String> prepare(PendingBatch batch) throws SQLException {
        List<TableModel> models = new ArrayList<>();
        batch.tables().forEach(t -> t.segments().forEach(s -> models.add(s.model())));
        Map<SourceTable, String> failed = new LinkedHashMap<>(preparation.prepareAll(models));
        for (TableBatch table : batch.tables()) {
            if (failed.containsKey(table.source())) {
                continue;
            }
            try {
                for (Segment segment : table.segments()) {
                    preparation.prepare(segment.model(), table.route().staged());
                }
            } catch (TableDefinitionException e) {
                failed.put(table.source(), e.getMessage());
            }
        }
        return failed;
    }

    /**
     * One go at the flush. Applied whole ({@code underSavepoints} false), a table PostgreSQL refused
     * before still goes under a savepoint of its own, the others do not (each savepoint is two round
     * trips: with a thousand tables, thousands a flush); any other refusal ends the go, rolled back,
     * and the flush is applied again under savepoints, where a table that fails stops alone.
     */
    private FlushOutcome apply(PendingBatch batch, Map<SourceTable, String> unprepared, Map<TopicPartition, Long> epochs,
                               Map<TopicPartition, Long> before, boolean underSavepoints)
            throws SQLException, FlushRefused, PartitionsFenced, RefusedWhole {
        FlushOutcome outcome = new FlushOutcome();
        outcome.records = batch.records();
        Map<SourceTable, String> failed = outcome.failedTables;
        failed.putAll(unprepared);
        List<ErrorRow> errorRows = new ArrayList<>();
        for (PendingBatch.FlaggedRecord f : batch.flagged()) {
            errorRows.add(new ErrorRow(f.table().qualified(), null, f.record(), f.reason()));
        }

        boolean ended = false;
        Map<TableIteration, IterationLedger.TableCounts> counts = new LinkedHashMap<>();
        try {
            for (TableBatch read : batch.tables()) {
                if (failed.containsKey(read.source())) {
                    continue;
                }
                TableBatch table = read.route().staged() ? stillStaged(read) : read;
                boolean guarded = underSavepoints || suspects.contains(table.source());
                Savepoint savepoint = guarded ? rows.savepoint("tm_table_") : null;
                List<ErrorRow> tableErrors = new ArrayList<>();
                try {
                    long bytesBefore = outcome.bytes;
                    ApplyCounts applied = rows.apply(table, new TableRowsApplier.Sink(tableErrors, outcome), guarded);
                    if (savepoint != null) {
                        connection.releaseSavepoint(savepoint);
                    }
                    errorRows.addAll(tableErrors);
                    boolean staged = table.route().staged();
                    if (staged) {
                        outcome.staged += applied.upserted() + applied.deleted();
                    } else {
                        outcome.upserted += applied.upserted();
                        outcome.deleted += applied.deleted();
                    }
                    // A staged table's bytes belong to the iteration now; its counts when the iteration is applied.
                    count(counts, table, staged ? ApplyCounts.NONE : applied, outcome.bytes - bytesBefore);
                } catch (TableFailure e) {
                    if (savepoint == null) {
                        suspects.add(table.source());
                        throw new RefusedWhole(table.source(), e.getMessage());
                    }
                    connection.rollback(savepoint);
                    failed.put(table.source(), e.getMessage());
                } catch (MoveWaitsForOldRow e) {
                    throw e; // not the table's failure: the whole flush rolls back, its waiting partitions wait
                } catch (SQLException e) {
                    if (savepoint == null && !SqlErrors.isTransient(e)) {
                        if (!(e instanceof DirectCopyRefused)) {
                            suspects.add(table.source());
                        }
                        throw new RefusedWhole(table.source(), SqlErrors.describe(e));
                    }
                    throw new TableSqlException(table.source(), e);
                }
            }

            errorRows.removeIf(r -> failed.keySet().stream().anyMatch(t -> t.qualified().equals(r.sourceTable())));
            control.recordErrors(connection, errorRows);
            outcome.flagged += errorRows.size();
            List<IterationLedger.MarkerPassed> passed = markersPassed(batch, failed);
            ledger.markersPassed(connection, passed);
            counts.keySet().removeIf(k -> failed.containsKey(k.table()));
            ledger.add(connection, counts.values());

            Map<TopicPartition, Long> toStore = new HashMap<>(batch.nextOffsets());
            failed.keySet().forEach(t -> toStore.keySet().removeAll(batch.partitionsOf(t)));
            List<TopicPartition> notSaved = offsets.save(connection, toStore, epochs, before);
            if (!notSaved.isEmpty()) {
                rollback();
                ended = true;
                throw fenced(notSaved, epochs);
            }
            outcome.committedOffsets.putAll(toStore);

            Map<PendingBatch.PartitionKey, PartitionStatus> statuses = statuses(batch, failed);
            control.setPartitionStatuses(connection, statuses.values());

            String refusal = guard == null ? null : guard.beforeCommit(connection, outcome.bytes, toStore);
            if (refusal != null) {
                rollback();
                ended = true;
                throw new FlushRefused(refusal);
            }
            tables.clearStagingBeforeCommit();
            connection.commit();
            tables.transactionEnded();
            ended = true;
            statuses.forEach((key, status) -> knownStatus.put(key, status.status()));
            failed.keySet().forEach(preparation::forget);
            for (IterationLedger.MarkerPassed m : passed) {
                outcome.markersPassed.merge(m.partition(), m.marker().iteration(), Math::max);
                outcome.iterationsPassed.add(m.marker().iteration());
            }
            return outcome;
        } finally {
            if (!ended) {
                rollbackQuietly();
            }
        }
    }

    /**
     * A FULL table's changes read for its stage go there only if it is FULL still, checked under the
     * stage's shared lock (held to the commit): a table made PARTIAL meanwhile had its stage drained
     * under the exclusive one, and its changes go to the target instead, after what was staged.
     */
    private TableBatch stillStaged(TableBatch table) throws SQLException {
        String source = table.source().qualified();
        stages.lock(connection, source, false);
        return "PARTIAL".equals(control.mode(connection, source)) ? table.toTarget() : table;
    }

    /** PostgreSQL refused a table of a flush applied whole: rolled back, to be applied again under savepoints. */
    private static final class RefusedWhole extends Exception {
        private final transient SourceTable table;

        RefusedWhole(SourceTable table, String reason) {
            super(reason, null, false, false);
            this.table = table;
        }
    }

    /** A table's changes of one iteration, applied in this flush. */
    private record TableIteration(SourceTable table, long iteration) {
    }

    private void count(Map<TableIteration, IterationLedger.TableCounts> counts, TableBatch table, ApplyCounts applied,
                       long bytes) {
        TableIteration key = new TableIteration(table.source(), table.route().iteration());
        IterationLedger.TableCounts before = counts.get(key);
        counts.put(key, new IterationLedger.TableCounts(table.source().qualified(), table.route().iteration(),
                view.mode(table.source()), applied.upserted() + (before == null ? 0 : before.upserted()),
                applied.deleted() + (before == null ? 0 : before.deleted()), bytes + (before == null ? 0 : before.bytes())));
    }

    private static List<IterationLedger.MarkerPassed> markersPassed(PendingBatch batch, Map<SourceTable, String> failed) {
        List<IterationLedger.MarkerPassed> passed = new ArrayList<>();
        for (PendingBatch.MarkerSeen m : batch.markers()) {
            if (!failed.containsKey(m.table())) {
                passed.add(new IterationLedger.MarkerPassed(m.table().qualified(), m.partition(), m.offset(), m.marker(),
                        m.seenAtMs()));
            }
        }
        return passed;
    }

    /**
     * The partition statuses this flush writes: those decided outside it (a table stopped while its
     * records were read), ERROR_ABORTED for the partitions of tables that failed in it, and
     * RUNNING (FINALIZING during a soft stop) for partitions applied whose last committed status was
     * anything else.
     */
    private Map<PendingBatch.PartitionKey, PartitionStatus> statuses(PendingBatch batch, Map<SourceTable, String> failed) {
        Map<PendingBatch.PartitionKey, PartitionStatus> result = new LinkedHashMap<>();
        for (PartitionStatus s : batch.statuses()) {
            result.put(new PendingBatch.PartitionKey(s.table(), s.partition()), s);
        }
        for (TableBatch table : batch.tables()) {
            String reason = failed.get(table.source());
            for (TopicPartition tp : batch.partitionsOf(table.source())) {
                PendingBatch.PartitionKey key = new PendingBatch.PartitionKey(table.source(), tp);
                if (reason != null) {
                    result.put(key, new PartitionStatus(table.source(), table.target().toString(), tp,
                            TableStatus.ERROR_ABORTED, reason));
                } else if (!result.containsKey(key) && knownStatus.get(key) != view.runningStatus(table.source())) {
                    result.put(key, new PartitionStatus(table.source(), table.target().toString(), tp,
                            view.runningStatus(table.source()), null));
                }
            }
        }
        return result;
    }

    private PartitionsFenced fenced(List<TopicPartition> notSaved, Map<TopicPartition, Long> epochs) throws SQLException {
        Map<TopicPartition, Long> ours = new HashMap<>();
        notSaved.forEach(tp -> ours.put(tp, epochs.get(tp)));
        Map<TopicPartition, OffsetStore.Ownership> owners = offsets.ownership(connection, Set.copyOf(notSaved));
        connection.commit();
        return new PartitionsFenced(ours, owners);
    }

    private void rollback() throws SQLException {
        connection.rollback();
        tables.transactionEnded();
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback failed (the connection is probably gone): {}", e.getMessage());
        }
        tables.transactionEnded();
    }

    /** Called when this applier's connection is abandoned. */
    void close() {
        tables.connectionLost();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the connection failed: {}", e.getMessage());
        }
    }
}
