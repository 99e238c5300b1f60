package io.tidemark.sink.apply;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.control.PartitionStatus;
import io.tidemark.sink.control.TableStatus;
import io.tidemark.sink.errors.LockHolders;
import io.tidemark.sink.errors.RetryPolicy;
import io.tidemark.sink.errors.RetrySchedule;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.sink.offsets.PartitionPositions;
import io.tidemark.sink.schema.TableModels;
import io.tidemark.sink.schema.TableSynchronizer;

/**
 * Everything a sink task does, without Kafka Connect: reads records as changes, buffers and
 * collapses them, applies them in one transaction per flush with the offsets they came from, and
 * keeps the consumer where the database is. {@code docs/architecture.md} walks through it.
 *
 * <p>Exactly-once rests on four rules: a flush commits rows and offsets together; a partition
 * starts (on assignment, and after any failed flush) from the offset the database holds; a record
 * below that offset is ignored if it is delivered again; and a flush commits only for partitions
 * the task still owns in the database (see {@link OffsetStore}).
 */
public final class SinkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(SinkWriter.class);

    /**
     * Settings the writer needs, taken from the config by the task.
     *
     * @param task                  the task's number within its connector, for names and logs
     * @param resumeCheckIntervalMs how often a writer stopped by its flush guard asks whether it may resume
     * @param flushMaxWaitMs        the longest wait for a flush before its connection is aborted
     */
    public record Settings(String connector, String task, int batchSize, long batchMaxWaitMs, RetryPolicy retry,
                           String unavailablePlaceholder, boolean autoCreate, boolean autoEvolve,
                           long resumeCheckIntervalMs, long flushMaxWaitMs) {
    }

    private final Settings settings;
    private final String owner;
    private final ControlSchema controlSchema;
    private final OffsetStore offsetStore;
    private final TableModels models;
    private final ConsumerControl consumer;
    private final FlushGuard guard;
    private final ApplierSession session;
    private final RecordIntake intake;
    private final PartitionPositions positions = new PartitionPositions();
    private final PartitionPauses pauses;
    private final TableStops stops = new TableStops();
    private final FlowBlock flowBlock;
    private final RetrySchedule flushRetry;
    private final RetrySchedule claimRetry;
    private final FlushPipeline pipeline;
    private final FlushStats stats = new FlushStats();
    private final Map<String, SourceTable> tablesByTopic = new HashMap<>();

    private PendingBatch batch = new PendingBatch();
    /** Set when a flush failed in a way that may hide a commit: reload the stored offsets before the next one. */
    private boolean offsetsUncertain;

    public SinkWriter(Settings settings, ConnectionFactory connections, ControlSchema controlSchema, String project,
                      TableModels models, ErrorPolicies policies, ConsumerControl consumer, FlushGuard guard) {
        this.settings = settings;
        this.owner = settings.connector() + " task " + settings.task() + " (" + UUID.randomUUID().toString()
                .substring(0, 8) + ")";
        this.controlSchema = controlSchema;
        this.offsetStore = new OffsetStore(controlSchema, settings.connector());
        this.models = models;
        this.consumer = consumer;
        this.guard = guard;
        ControlTables control = new ControlTables(controlSchema, project, settings.connector(), settings.task());
        this.session = new ApplierSession(connections, controlSchema, control, offsetStore,
                new TableSynchronizer(settings.autoCreate(), settings.autoEvolve()),
                new SegmentEncoder(settings.unavailablePlaceholder()), policies, guard);
        this.intake = new RecordIntake(models, policies);
        this.pauses = new PartitionPauses(consumer);
        this.flowBlock = new FlowBlock(settings.resumeCheckIntervalMs());
        this.flushRetry = new RetrySchedule(settings.retry());
        this.claimRetry = new RetrySchedule(settings.retry());
        this.pipeline = new FlushPipeline("tidemark-apply-" + settings.connector() + "-" + settings.task(),
                settings.flushMaxWaitMs());
    }

    /** Cumulative counts of what this writer applied. */
    public FlushStats stats() {
        return stats;
    }

    /** Connects and prepares the control schema; fails the task start when the database cannot be used. */
    public void start() {
        try {
            session.applier();
        } catch (SQLException e) {
            throw new ConnectException("Cannot prepare the target database (" + SqlErrors.describe(e) + "). Check "
                    + "connection.url, the user's rights (CREATE on the database for the control schema '"
                    + controlSchema.schema() + "') and that PostgreSQL is up.", e);
        }
    }

    // ---- partition lifecycle ------------------------------------------------------------------

    /**
     * Partitions assigned: take them over in the database (one attempt, bounded by the connection's
     * timeouts: this runs inside the consumer's rebalance) and start each from the offset the
     * database holds. Partitions that cannot be claimed now are paused and claimed from {@code put}.
     */
    public void open(Collection<TopicPartition> partitions) {
        settle(pipeline.await(session::abort)); // the connection is the applier thread's while a flush runs
        positions.assign(partitions);
        if (flowBlock.isBlocked()) {
            pauses.pause(partitions, PartitionPauses.Reason.FLOW_BLOCKED);
        }
        if (!claim(partitions)) {
            pauses.pause(partitions, PartitionPauses.Reason.UNCLAIMED);
        }
        handRewindsToConnect();
    }

    /** @return true when the partitions are the task's now */
    private boolean claim(Collection<TopicPartition> partitions) {
        long now = System.currentTimeMillis();
        try {
            Connection c = session.connection();
            Map<TopicPartition, OffsetStore.Claim> claims = offsetStore.claim(c, partitions, owner);
            c.commit();
            positions.claimed(claims);
            claimRetry.succeeded();
            Map<TopicPartition, Long> stored = new HashMap<>();
            claims.forEach((tp, claim) -> {
                if (claim.nextOffset() != null) {
                    stored.put(tp, claim.nextOffset());
                }
            });
            LOG.info("{} owns {} partition(s); {} start from the offsets stored in PostgreSQL: {}", owner,
                    claims.size(), stored.size(), stored);
            return true;
        } catch (SQLException e) {
            session.abandon();
            offsetsUncertain = true;
            long backoff = SqlErrors.isTransient(e) ? claimRetry.failed(now) : -1;
            if (backoff < 0) {
                throw new ConnectException("Cannot take partitions " + partitions + " over in PostgreSQL: "
                        + SqlErrors.describe(e) + ". Nothing was applied; the records wait in Kafka. Once the database "
                        + "is reachable, restart the task (POST /connectors/" + settings.connector()
                        + "/restart?includeTasks=true).", e);
            }
            consumer.wakeUpWithin(backoff);
            LOG.warn("Cannot take partitions {} over in PostgreSQL yet ({}); they stay paused and are claimed again "
                    + "in {} ms", partitions, SqlErrors.describe(e), backoff);
            return false;
        }
    }

    /** Claims, when due, the partitions an earlier attempt could not. */
    private void claimUnclaimed(long now) {
        List<TopicPartition> unclaimed = positions.unclaimed();
        if (unclaimed.isEmpty() || !claimRetry.due(now)) {
            return;
        }
        settle(pipeline.await(session::abort));
        if (claim(unclaimed)) {
            pauses.resume(unclaimed, PartitionPauses.Reason.UNCLAIMED);
        }
    }

    /**
     * Partitions revoked (or lost): apply what is buffered, if possible, then forget them. Should
     * the flush fail, the partitions the task keeps are rewound, not lost: their records come again.
     */
    public void close(Collection<TopicPartition> partitions) {
        if (batch.hasWork() || pipeline.busy()) {
            try {
                flushNow();
            } catch (RuntimeException e) {
                LOG.warn("Could not apply the buffered records before giving up partitions {}: {}. The next owner "
                        + "starts from the offsets PostgreSQL holds, so nothing is lost.", partitions, e.getMessage());
                dropBufferedAndRewind(new PendingBatch());
            }
        }
        // Records of kept partitions dropped with a revoked one's table come again.
        batch.dropPartitions(partitions).forEach(positions::rewindToDatabase);
        positions.revoke(partitions);
        pauses.forget(partitions);
        session.forgetStatuses(partitions);
    }

    // ---- records ------------------------------------------------------------------------------

    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        positions.beginPut();
        handRewindsToConnect(); // asked for in preCommit or close, where Connect must not get them
        settle(pipeline.takeIfDone());
        claimUnclaimed(now);
        if (flowBlock.isBlocked()) {
            maybeResumeFlow(now);
        }
        boolean room = true;
        for (SinkRecord record : records) {
            TopicPartition tp = Offsets.partitionOf(record);
            long offset = record.originalKafkaOffset();
            PartitionPositions.Verdict verdict = positions.verdict(tp, offset);
            if (verdict == PartitionPositions.Verdict.SKIP) {
                continue;
            }
            SourceTable table = tablesByTopic.computeIfAbsent(record.topic(), SourceTable::fromTopic);
            if (verdict == PartitionPositions.Verdict.ACCEPT && stops.isStopped(table) && !pauses.isPaused(tp)) {
                markStopped(table, tp, stops.reason(table)); // a partition of a stopped table seen for the first time
            }
            if (verdict == PartitionPositions.Verdict.HOLD || !room || pauses.isPaused(tp)) {
                positions.holdBack(tp, offset); // comes again once the partition may go on
                continue;
            }
            RecordIntake.Result result = intake.add(batch, record, table, now);
            if (result.taken()) {
                positions.taken(tp, offset);
            } else {
                stopTable(table, result.stopReason(), tp, offset);
            }
            if (batch.records() >= settings.batchSize()) {
                room = flushIfDue(false);
            }
        }
        if (room) {
            flushIfDue(false);
        }
        if (!batch.isEmpty()) {
            consumer.wakeUpWithin(Math.max(10, settings.batchMaxWaitMs() - batch.ageMs(now)));
        }
        handRewindsToConnect();
    }

    private void handRewindsToConnect() {
        Map<TopicPartition, Long> rewinds = positions.takeRewinds();
        if (!rewinds.isEmpty()) {
            consumer.rewind(rewinds);
        }
    }

    /**
     * Stops a table now: drops its buffered changes, moves its partitions back to the first
     * offset not applied and pauses them. The records wait in Kafka; the status says why.
     */
    private void stopTable(SourceTable table, String reason, TopicPartition current, long currentOffset) {
        if (stops.stop(table, reason)) {
            LOG.error("Table {} stopped (ERROR_ABORTED): {}. Its records wait in Kafka; fix the cause and restart the "
                    + "task (POST /connectors/{}/restart?includeTasks=true).", table, reason, settings.connector());
        }
        Set<TopicPartition> partitions = new HashSet<>(batch.partitionsOf(table));
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        partitions.forEach(tp -> firstOffsets.put(tp, batch.firstOffset(tp)));
        firstOffsets.merge(current, currentOffset, (a, b) -> a == null ? b : Math.min(a, b));
        batch.dropTable(table);
        firstOffsets.forEach((tp, first) -> {
            positions.rewindToDatabase(tp, first);
            markStopped(table, tp, reason);
        });
    }

    private void markStopped(SourceTable table, TopicPartition tp, String reason) {
        pauses.pause(List.of(tp), PartitionPauses.Reason.TABLE_STOPPED);
        batch.status(new PartitionStatus(table, models.targetName(table), tp, TableStatus.ERROR_ABORTED, reason));
    }

    // ---- flushing -----------------------------------------------------------------------------

    /** Connect's commit point: apply what is buffered, report what the database holds. */
    public Map<TopicPartition, Long> preCommit() {
        if (batch.hasWork()) {
            flushIfDue(true);
        }
        settle(pipeline.await(session::abort)); // report what the database holds, including a flush still running
        return positions.reportable();
    }

    /** @return false when the batch is full and cannot be flushed yet (backing off): take no more records */
    private boolean flushIfDue(boolean force) {
        long now = System.currentTimeMillis();
        boolean due = force || batch.records() >= settings.batchSize()
                || (!batch.isEmpty() && batch.ageMs(now) >= settings.batchMaxWaitMs())
                || (batch.isEmpty() && batch.hasWork());
        if (!due || !batch.hasWork()) {
            return true;
        }
        if (!flushRetry.due(now)) {
            consumer.wakeUpWithin(Math.max(10, flushRetry.waitMs(now)));
            return batch.records() < settings.batchSize(); // backing off after a failure
        }
        if (flowBlock.isBlocked()) {
            return batch.records() < settings.batchSize();
        }
        if (force) {
            flushNow();
        } else {
            submitFlush();
        }
        return true;
    }

    /** Applies the batch and waits for it: the synchronous flush of commits, rebalances and stop. */
    private void flushNow() {
        submitFlush();
        settle(pipeline.await(session::abort));
    }

    /**
     * Hands the batch to the applier thread and returns; the task goes on converting and buffering
     * the next batch meanwhile. A flush still in flight is taken back first.
     */
    private void submitFlush() {
        settle(pipeline.await(session::abort));
        if (!batch.hasWork()) {
            return;
        }
        PendingBatch current = batch;
        BatchApplier applier;
        try {
            applier = session.applier();
            if (offsetsUncertain && !reconcileOffsets(applier.connection(), current)) {
                return; // the batch was dropped and its partitions rewound to where the database is
            }
        } catch (SQLException e) {
            onFlushFailure(current, e);
            return;
        }
        batch = new PendingBatch();
        Map<TopicPartition, Long> epochs = positions.epochs(current.nextOffsets().keySet());
        pipeline.submit(current, () -> applier.apply(current, epochs));
    }

    /** Acts on the outcome of a flush taken back from the applier thread. */
    private void settle(FlushPipeline.Settled flush) {
        if (flush == null) {
            return;
        }
        if (flush.failure() == null) {
            afterCommit(flush.batch(), flush.outcome());
            flushRetry.succeeded();
            return;
        }
        batch.keepStatusesOf(flush.batch()); // not written: write them with the next flush
        Throwable cause = flush.failure();
        if (cause instanceof FlushRefused refused) {
            dropBufferedAndRewind(flush.batch());
            block(refused.getMessage(), flush.batch());
        } else if (cause instanceof PartitionsFenced fenced) {
            onFenced(flush.batch(), fenced);
        } else if (cause instanceof SQLException sql) {
            onFlushFailure(flush.batch(), sql);
        } else if (cause instanceof RuntimeException runtime) {
            session.abandon();
            offsetsUncertain = true;
            dropBufferedAndRewind(flush.batch());
            throw runtime;
        } else {
            session.abandon();
            offsetsUncertain = true;
            dropBufferedAndRewind(flush.batch());
            throw new ConnectException("Applying a batch failed: " + cause, cause);
        }
    }

    /**
     * A flush failed: nothing of it was applied (or, when the answer to COMMIT was lost, the next
     * flush finds out from the stored offsets). Its records, and those buffered since, are
     * delivered again from the offsets the database holds.
     */
    private void onFlushFailure(PendingBatch failed, SQLException e) {
        offsetsUncertain = true;
        session.abandon();
        dropBufferedAndRewind(failed);
        if (!SqlErrors.isTransient(e)) {
            throw new ConnectException("Applying a batch to PostgreSQL failed: " + SqlErrors.describe(e)
                    + ". Nothing of the batch was applied; its records wait in Kafka. Fix the cause, then restart the "
                    + "task (POST /connectors/" + settings.connector() + "/restart?includeTasks=true).", e);
        }
        long now = System.currentTimeMillis();
        long backoff = flushRetry.failed(now);
        if (backoff < 0) {
            throw new ConnectException("PostgreSQL has failed every attempt for " + flushRetry.failingForMs(now)
                    + " ms (last error: " + SqlErrors.describe(e) + "). Nothing was lost: the records wait in Kafka. "
                    + "Once the database is reachable, restart the task (POST /connectors/" + settings.connector()
                    + "/restart?includeTasks=true), or raise retry.max.duration.ms.", e);
        }
        consumer.wakeUpWithin(backoff);
        String why = retryReason(failed, e);
        LOG.warn("Applying a batch failed ({}); the records will be delivered again and retried in {} ms "
                + "(attempt {}, retrying for up to {} ms)", why, backoff, flushRetry.failedAttempts(),
                settings.retry().maxDurationMs());
        if (e instanceof TableSqlException tableError && !SqlErrors.isConnectionFailure(e)) {
            markRetrying(tableError.table(), failed, why); // the database answers: it can show why
        }
    }

    /** The failure in words, naming who holds the lock when a lock wait timed out. */
    private String retryReason(PendingBatch failed, SQLException e) {
        String why = SqlErrors.describe(e);
        if (e instanceof TableSqlException tableError && SqlErrors.isLockTimeout(e)) {
            try {
                Connection c = session.connection();
                String holders = LockHolders.describe(c, models.target(tableError.table()));
                c.commit();
                if (holders != null) {
                    why += "; " + holders;
                }
            } catch (SQLException | RuntimeException diagnosticFailure) {
                session.abandon();
            }
        }
        return why;
    }

    /** A table whose flush is retried shows ERROR_RETRIABLE with the reason, until a flush of it succeeds. */
    private void markRetrying(SourceTable table, PendingBatch failed, String reason) {
        try {
            Connection c = session.connection();
            List<PartitionStatus> statuses = failed.partitionsOf(table).stream()
                    .map(tp -> new PartitionStatus(table, models.targetName(table), tp, TableStatus.ERROR_RETRIABLE,
                            "retrying: " + reason)).toList();
            session.control().setPartitionStatuses(c, statuses);
            c.commit();
            statuses.forEach(s -> session.knownStatus().put(new PendingBatch.PartitionKey(table, s.partition()),
                    TableStatus.ERROR_RETRIABLE));
        } catch (SQLException | RuntimeException e) {
            session.abandon();
            LOG.debug("Could not record that {} is retried: {}", table, e.getMessage());
        }
    }

    /** Another task owns some partitions now: give them up; the rest of the flush comes again. */
    private void onFenced(PendingBatch failed, PartitionsFenced fenced) {
        Set<TopicPartition> lost = fenced.ourEpochs().keySet();
        LOG.error("{}: another task took over partitions this task was still applying ({}). The whole flush was "
                + "rolled back and this task applies nothing more of them; their new owner goes on from the offsets "
                + "in PostgreSQL. This happens to a task that outlived its consumer session (max.poll.interval.ms) "
                + "or that the worker gave up on.", owner, fenced.getMessage());
        positions.fence(lost);
        pauses.pause(lost, PartitionPauses.Reason.FENCED);
        dropBufferedAndRewind(failed);
    }

    /** A flush did not apply: drop what was buffered behind it too, and deliver both again. */
    private void dropBufferedAndRewind(PendingBatch failed) {
        PendingBatch newer = batch;
        batch = new PendingBatch();
        batch.keepStatusesOf(newer);
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        for (PendingBatch b : List.of(failed, newer)) {
            for (TopicPartition tp : b.nextOffsets().keySet()) {
                firstOffsets.merge(tp, b.firstOffset(tp), Math::min);
            }
        }
        firstOffsets.forEach(positions::rewindToDatabase);
    }

    /**
     * After a failure that may have hidden a commit (the connection broke during COMMIT), the
     * database is the truth: take its offsets (and owners), and if they differ from what this task
     * believed, drop the batch and deliver the partitions again from there.
     *
     * @return true when the batch can be applied as it is
     */
    private boolean reconcileOffsets(Connection connection, PendingBatch current) throws SQLException {
        Set<TopicPartition> owned = positions.owned();
        Map<TopicPartition, OffsetStore.Ownership> stored = offsetStore.ownership(connection, owned);
        connection.commit();
        offsetsUncertain = false;
        Map<TopicPartition, Long> epochs = positions.epochs(owned);
        Map<TopicPartition, Long> changed = new HashMap<>();
        Set<TopicPartition> lost = new HashSet<>();
        for (TopicPartition tp : owned) {
            OffsetStore.Ownership db = stored.get(tp);
            if (db == null || db.epoch() != epochs.get(tp)) {
                lost.add(tp);
            } else if (db.nextOffset() != null && !db.nextOffset().equals(positions.committedOffset(tp))) {
                changed.put(tp, db.nextOffset());
            }
        }
        if (!lost.isEmpty()) {
            LOG.error("{}: partitions {} were taken over by another task while this one could not reach PostgreSQL; "
                    + "it applies nothing more of them", owner, lost);
            positions.fence(lost);
            pauses.pause(lost, PartitionPauses.Reason.FENCED);
        }
        if (changed.isEmpty() && lost.isEmpty()) {
            return true;
        }
        if (!changed.isEmpty()) {
            LOG.info("The database holds other offsets than this task expected (a commit whose answer was lost): {}. "
                    + "Delivering those partitions again from there.", changed);
            positions.committed(changed);
        }
        batch = new PendingBatch();
        batch.keepStatusesOf(current);
        current.nextOffsets().keySet().forEach(tp -> positions.rewindToDatabase(tp, current.firstOffset(tp)));
        return false;
    }

    /**
     * The guard refused a flush (the license is exhausted or expired): pause every partition and
     * wait, the task RUNNING, until the guard lets the flow resume. The refused records wait in
     * Kafka: their partitions were rewound to the offsets the database holds.
     */
    private void block(String reason, PendingBatch refused) {
        long now = System.currentTimeMillis();
        if (flowBlock.block(reason, now)) {
            LOG.error("Applying stopped: {}. {} records were not applied and wait in Kafka; the task stays RUNNING "
                    + "with its partitions paused and resumes by itself once the cause is gone.", reason,
                    refused.records());
        }
        pauses.pause(positions.assigned(), PartitionPauses.Reason.FLOW_BLOCKED);
        consumer.wakeUpWithin(flowBlock.checkIntervalMs());
        try {
            Connection c = session.connection();
            guard.refused(c, reason);
        } catch (SQLException e) {
            session.abandon();
            LOG.warn("Could not record why applying stopped: {}", SqlErrors.describe(e));
        }
    }

    /** While blocked: ask the guard now and then whether the flow may resume; resume if so. */
    private void maybeResumeFlow(long now) {
        consumer.wakeUpWithin(flowBlock.checkIntervalMs());
        if (!flowBlock.checkDue(now)) {
            return;
        }
        settle(pipeline.await(session::abort)); // the connection is the applier thread's while a flush runs
        try {
            if (!guard.mayResume(session.connection())) {
                return;
            }
        } catch (SQLException e) {
            session.abandon();
            LOG.warn("Could not check whether applying may resume: {}", SqlErrors.describe(e));
            return;
        }
        LOG.info("Applying resumes ({} was the reason it stopped)", flowBlock.reason());
        flowBlock.unblock();
        pauses.resumeAll(PartitionPauses.Reason.FLOW_BLOCKED);
    }

    /** Why applying is stopped by the flush guard, or null while it flows. */
    public String blockedReason() {
        return flowBlock.reason();
    }

    private void afterCommit(PendingBatch applied, FlushOutcome outcome) {
        positions.committed(outcome.committedOffsets);
        stats.add(outcome);
        for (Map.Entry<SourceTable, String> failure : outcome.failedTables.entrySet()) {
            SourceTable table = failure.getKey();
            if (stops.stop(table, failure.getValue())) {
                LOG.error("Table {} stopped (ERROR_ABORTED): {}. Its records wait in Kafka; fix the cause and restart "
                        + "the task (POST /connectors/{}/restart?includeTasks=true).", table, failure.getValue(),
                        settings.connector());
            }
            // Buffered while the flush ran: after the rewind point, they come again.
            Map<TopicPartition, Long> firstOffsets = new HashMap<>();
            for (PendingBatch b : List.of(applied, batch)) {
                b.partitionsOf(table).forEach(tp -> firstOffsets.merge(tp, b.firstOffset(tp), Math::min));
            }
            batch.dropTable(table);
            firstOffsets.forEach((tp, first) -> {
                positions.rewindToDatabase(tp, first);
                pauses.pause(List.of(tp), PartitionPauses.Reason.TABLE_STOPPED); // its status was written in the flush
            });
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Applied {} records: {} upserted, {} deleted, {} bytes", outcome.records, outcome.upserted,
                    outcome.deleted, outcome.bytes);
        }
    }

    /** Applies what is buffered (best effort, bounded) and closes the connection. */
    public void stop() {
        try {
            if (batch.hasWork() || pipeline.busy()) {
                flushNow();
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not apply the last {} buffered records on stop: {}. They will be delivered again.",
                    batch.records(), e.getMessage());
        } finally {
            pipeline.shutdown();
            session.abandon();
        }
    }

    /** The partitions paused because their table stopped with an error. */
    public Set<TopicPartition> pausedForError() {
        return Set.copyOf(pauses.partitionsWith(PartitionPauses.Reason.TABLE_STOPPED));
    }
}
