package io.tidemark.sink.writer;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.batch.BatchBuffer;
import io.tidemark.sink.batch.Offsets;
import io.tidemark.sink.batch.PendingBatch;
import io.tidemark.sink.batch.RecordIntake;
import io.tidemark.sink.batch.UnavailableValues;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.control.TableView;
import io.tidemark.sink.copy.SegmentEncoder;
import io.tidemark.sink.errors.RetrySchedule;
import io.tidemark.sink.flush.ApplierSession;
import io.tidemark.sink.flush.BatchApplier;
import io.tidemark.sink.flush.ConnectionFactory;
import io.tidemark.sink.flush.ErrorPolicies;
import io.tidemark.sink.flush.FlushGuard;
import io.tidemark.sink.flush.FlushOutcome;
import io.tidemark.sink.flush.FlushPipeline;
import io.tidemark.sink.flush.FlushRefused;
import io.tidemark.sink.flush.FlushStats;
import io.tidemark.sink.flush.PartitionsFenced;
import io.tidemark.sink.iteration.IterationLedger;
import io.tidemark.sink.iteration.PartitionIterations;
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
    /** How soon put looks again while a flush that carries a marker is in flight. */
    private static final long MARKER_COMMIT_LOOK_MS = 20;

    private final WriterSettings settings;
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
    private final PartitionIterations iterations = new PartitionIterations();
    private final BatchBuffer buffer = new BatchBuffer(positions, iterations);
    private final TableView view;
    private final Lifecycle lifecycle;
    private final LicenseGate licenseGate;
    private final FlushFailures failures;
    private final PartitionClaims claims;
    private final TableErrorStops errorStops;
    private final IterationRouting routing;
    private final FlushPipeline pipeline;
    private final FlushStats stats = new FlushStats();
    private final FlushTiming timing;
    private final Map<String, SourceTable> tablesByTopic = new HashMap<>();
    /** A flush submitted with a new marker has not settled yet. */
    private boolean markerCommitPending;

    public SinkWriter(WriterSettings settings, ConnectionFactory connections, ControlSchema controlSchema, String project,
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
        IterationLedger ledger = new IterationLedger(controlSchema, project);
        this.view = new TableView(settings.modes());
        this.session = new ApplierSession(connections, controlSchema, control, offsetStore,
                new TableSynchronizer(settings.autoCreate(), settings.autoEvolve()),
                new SegmentEncoder(new UnavailableValues(settings.unavailablePlaceholder())), policies, guard, ledger, view);
        this.intake = new RecordIntake(models, policies, new UnavailableValues(settings.unavailablePlaceholder()), settings.batchMaxBytes());
        this.pauses = new PartitionPauses(consumer);
        this.licenseGate = new LicenseGate(guard, settings.resumeCheckIntervalMs(), session, pauses, consumer);
        this.lifecycle = new Lifecycle(settings, owner, project, connections, controlSchema, control, offsetStore, models,
                policies, new Lifecycle.TaskState(positions, pauses, iterations, stops, view, session.knownStatus()));
        this.failures = new FlushFailures(settings.connector(), owner, session, offsetStore, positions, pauses, buffer,
                new RetrySchedule(settings.retry()), models, consumer, lifecycle::reconciled);
        this.claims = new PartitionClaims(settings.connector(), owner, session, offsetStore, guard, lifecycle, positions,
                failures, consumer, new RetrySchedule(settings.retry()));
        this.routing = new IterationRouting(iterations, view);
        this.errorStops = new TableErrorStops(settings.connector(), stops, lifecycle, buffer, positions, pauses,
                iterations, view, models);
        this.pipeline = new FlushPipeline("tidemark-apply-" + settings.connector() + "-" + settings.task(),
                settings.flushMaxWaitMs());
        this.timing = new FlushTiming(settings.batchMaxWaitMs(), settings.pollRecords());
    }

    /** Cumulative counts of what this writer applied. */
    public FlushStats stats() {
        return stats;
    }

    /** Connects and prepares the control schema; see {@link ApplierSession#prepare}. */
    public void start() {
        session.prepare(owner);
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
        licenseGate.admit(partitions);
        if (!claims.claim(partitions)) {
            pauses.pause(partitions, PartitionPauses.Reason.UNCLAIMED);
        }
        // Connect pauses again a partition that comes back to the task it was paused in (an eager
        // rebalance, lost partitions); what the task has no reason to hold now must go on.
        pauses.resumeUnlessHeld(partitions);
        handRewindsToConnect();
    }

    /** Claims, when due, the partitions an earlier attempt could not. */
    private void claimUnclaimed(long now) {
        List<TopicPartition> unclaimed = claims.due(now);
        if (unclaimed.isEmpty()) {
            return;
        }
        settle(pipeline.await(session::abort));
        if (claims.claim(unclaimed)) {
            pauses.resume(unclaimed, PartitionPauses.Reason.UNCLAIMED);
        }
    }

    /**
     * Partitions revoked (or lost): apply what is buffered, if possible, then forget them. Should
     * the flush fail, the partitions the task keeps are rewound, not lost: their records come again.
     */
    public void close(Collection<TopicPartition> partitions) {
        if (buffer.current().hasWork() || pipeline.busy()) {
            try {
                flushNow();
            } catch (RuntimeException e) {
                LOG.warn("Could not apply the buffered records before giving up partitions {}: {}. The next owner "
                        + "starts from the offsets PostgreSQL holds, so nothing is lost.", partitions, e.getMessage());
                buffer.dropAndRewind(new PendingBatch());
            }
        }
        // Records of kept partitions dropped with a revoked one's table come again.
        buffer.current().dropPartitions(partitions).forEach(positions::rewindToDatabase);
        positions.revoke(partitions);
        pauses.forget(partitions);
        failures.moveHolds().forget(partitions);
        lifecycle.revoked(partitions);
        session.forgetStatuses(partitions);
    }

    // ---- records ------------------------------------------------------------------------------

    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        timing.polled(records.size(), () -> consumer.lag(pauses.unpaused(positions.assigned())));
        positions.beginPut();
        handRewindsToConnect(); // asked for in preCommit or close, where Connect must not get them
        settle(pipeline.takeIfDone());
        claimUnclaimed(now);
        if (licenseGate.isBlocked()) {
            if (licenseGate.checkDue(now)) {
                settle(pipeline.await(session::abort)); // the check uses the connection
            }
            licenseGate.checkWhetherItMayResume(now);
        }
        if (lifecycle.due(now)) {
            lifecycle.poll(now);
        }
        consumer.wakeUpWithin(lifecycle.wakeUpMs());
        failures.moveHolds().endDue(now);
        boolean room = true;
        boolean freshMarker = false;
        for (SinkRecord record : records) {
            TopicPartition tp = Offsets.partitionOf(record);
            long offset = record.originalKafkaOffset();
            PartitionPositions.Verdict verdict = positions.verdict(tp, offset);
            if (verdict == PartitionPositions.Verdict.SKIP) {
                continue;
            }
            SourceTable table = tablesByTopic.computeIfAbsent(record.topic(), SourceTable::fromTopic);
            if (verdict == PartitionPositions.Verdict.ACCEPT && stops.isStopped(table) && !pauses.isPaused(tp)) {
                errorStops.markStopped(table, tp, stops.reason(table)); // a partition of a stopped table seen for the first time
            }
            if (verdict == PartitionPositions.Verdict.HOLD || !room || pauses.isPaused(tp) || iterations.isHolding(tp)
                    || failures.moveHolds().holds(tp, offset)) {
                positions.holdBack(tp, offset); // comes again once the partition may go on
                continue;
            }
            lifecycle.carries(tp, table);
            RecordIntake.Result result = intake.add(buffer.current(), record, table, routing.route(table, tp), now);
            if (result.taken()) {
                positions.taken(tp, offset);
                if (result.marker() != null) {
                    freshMarker |= routing.markerTaken(table, tp, result.marker());
                }
            } else {
                errorStops.atRecord(table, result.stopReason(), tp, offset, () -> settle(pipeline.await(session::abort)));
            }
            if (buffer.current().full(batchSize(), settings.batchMaxBytes())) {
                room = flushIfDue(false);
            }
        }
        if (room) {
            // A marker closes an iteration: the sooner it commits, the sooner the iteration is visible
            // (and the sooner a partition that holds at it goes on). Markers are rare; the flush is cheap.
            flushIfDue(freshMarker, false);
        }
        if (!buffer.current().isEmpty()) {
            consumer.wakeUpWithin(timing.wakeUpMs(buffer.current().ageMs(now), !pipeline.busy()));
        }
        markerCommitPending = (markerCommitPending || freshMarker) && pipeline.busy();
        if (markerCommitPending) {
            // A flush in flight carries a marker: its commit completes an iteration or releases a
            // waiting partition, so look again soon even if no record comes meanwhile.
            consumer.wakeUpWithin(MARKER_COMMIT_LOOK_MS);
        }
        handRewindsToConnect();
    }

    private void handRewindsToConnect() {
        Map<TopicPartition, Long> rewinds = positions.takeRewinds();
        if (!rewinds.isEmpty()) {
            consumer.rewind(rewinds);
        }
    }

    // ---- flushing -----------------------------------------------------------------------------

    /** Connect's commit point: apply what is buffered, report what the database holds. */
    public Map<TopicPartition, Long> preCommit() {
        if (buffer.current().hasWork()) {
            flushIfDue(true);
        }
        settle(pipeline.await(session::abort)); // report what the database holds, including a flush still running
        return positions.reportable();
    }

    /** @return false when the batch is full and cannot be flushed yet (backing off): take no more records */
    private boolean flushIfDue(boolean force) {
        return flushIfDue(force, force);
    }

    /**
     * @param force flush whatever is buffered, due or not
     * @param wait  wait for the flush (commits, rebalances, stop); otherwise it goes to the applier thread
     */
    private boolean flushIfDue(boolean force, boolean wait) {
        long now = System.currentTimeMillis();
        PendingBatch batch = buffer.current();
        boolean due = force || timing.due(batch.isEmpty(), batch.full(batchSize(), settings.batchMaxBytes()),
                batch.ageMs(now), !pipeline.busy()) || (batch.isEmpty() && batch.hasWork());
        if (!due || !batch.hasWork()) {
            return true;
        }
        if (!failures.mayFlush(now)) {
            consumer.wakeUpWithin(Math.max(10, failures.waitMs(now)));
            return !batch.full(batchSize(), settings.batchMaxBytes()); // backing off after a failure
        }
        if (licenseGate.isBlocked()) {
            return !batch.full(batchSize(), settings.batchMaxBytes());
        }
        if (wait) {
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
        if (!buffer.current().hasWork()) {
            return;
        }
        BatchApplier applier;
        try {
            applier = session.applier();
            if (!failures.reconcile(applier.connection(), buffer.current())) {
                return; // the batch was dropped and its partitions rewound to where the database is
            }
        } catch (SQLException e) {
            failures.failed(buffer.current(), e);
            return;
        }
        PendingBatch batch = buffer.take();
        Map<TopicPartition, Long> epochs = positions.epochs(batch.nextOffsets().keySet());
        Map<TopicPartition, Long> before = positions.committedOffsets(epochs.keySet());
        pipeline.submit(batch, () -> applier.apply(batch, epochs, before));
    }

    /** Acts on the outcome of a flush taken back from the applier thread. */
    private void settle(FlushPipeline.Settled flush) {
        if (flush == null) {
            return;
        }
        if (flush.failure() == null) {
            afterCommit(flush.batch(), flush.outcome());
            failures.succeeded();
            return;
        }
        Throwable cause = flush.failure();
        if (cause instanceof FlushRefused refused) {
            buffer.dropAndRewind(flush.batch());
            if (!licenseGate.splits(flush.batch().records())) { // with room left, a smaller flush may fit
                licenseGate.refused(refused.getMessage(), flush.batch().records(), positions.assigned());
            }
        } else if (cause instanceof PartitionsFenced fenced) {
            failures.fenced(flush.batch(), fenced);
        } else if (cause instanceof SQLException sql) {
            failures.failed(flush.batch(), sql);
        } else {
            failures.connectionInDoubt();
            buffer.dropAndRewind(flush.batch());
            throw cause instanceof RuntimeException runtime ? runtime
                    : new ConnectException("Applying a batch failed: " + cause, cause);
        }
    }

    /** The configured batch size, or less while the last part of a license volume is used up. */
    private int batchSize() {
        return licenseGate.batchSize(settings.batchSize());
    }

    /** Why applying is stopped by the flush guard, or null while it flows. */
    public String blockedReason() {
        return licenseGate.reason();
    }

    private void afterCommit(PendingBatch applied, FlushOutcome outcome) {
        positions.committed(outcome.committedOffsets);
        stats.add(outcome);
        lifecycle.committed(outcome);
        outcome.failedTables.forEach((table, reason) -> errorStops.afterFlush(table, reason, applied));
        if (LOG.isDebugEnabled()) {
            LOG.debug("Applied {} records: {} upserted, {} deleted, {} bytes", outcome.records, outcome.upserted,
                    outcome.deleted, outcome.bytes);
        }
    }

    /** Applies what is buffered (best effort, bounded) and closes the connection. */
    public void stop() {
        try {
            if (buffer.current().hasWork() || pipeline.busy()) {
                flushNow();
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not apply the last {} buffered records on stop: {}. They will be delivered again.",
                    buffer.current().records(), e.getMessage());
        } finally {
            pipeline.shutdown();
            session.abandon();
            lifecycle.close();
        }
    }
}
