package io.tidemark.sink.apply;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.control.ControlTables.StatusChange;
import io.tidemark.sink.control.ControlTables.TableStatus;
import io.tidemark.sink.errors.RetryPolicy;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.sink.record.BadRecordException;
import io.tidemark.sink.record.ChangeEvent;
import io.tidemark.sink.record.ChangeEventReader;
import io.tidemark.sink.schema.TableDefinitionException;
import io.tidemark.sink.schema.TableModels;
import io.tidemark.sink.schema.TableSynchronizer;

/**
 * Everything a sink task does, without Kafka Connect: reads records as changes, buffers and
 * collapses them, applies them in one transaction per flush with the offsets they came from, and
 * keeps the consumer where the database is.
 *
 * <p>Exactly-once rests on three rules: a flush commits rows and offsets together; a partition
 * starts (on assignment, and after any failed flush) from the offset the database holds; a
 * record below that offset is ignored if it is delivered again.
 */
public final class SinkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(SinkWriter.class);

    /** Settings the writer needs, taken from the config by the task. */
    /**
     * @param resumeCheckIntervalMs how often a writer stopped by its flush guard asks whether it may resume
     */
    public record Settings(String connector, int batchSize, long batchMaxWaitMs, RetryPolicy retry,
                           String unavailablePlaceholder, boolean autoCreate, boolean autoEvolve,
                           long resumeCheckIntervalMs) {
    }

    private final Settings settings;
    private final ConnectionFactory connections;
    private final ControlSchema controlSchema;
    private final ControlTables control;
    private final OffsetStore offsetStore;
    private final TableModels models;
    private final ErrorPolicies policies;
    private final ConsumerControl consumer;
    private final FlushGuard guard;
    private final ChangeEventReader reader = new ChangeEventReader();
    private final TableSynchronizer synchronizer;
    private final SegmentEncoder encoder;

    private final Map<String, SourceTable> tablesByTopic = new HashMap<>();
    /** Written by the applier thread, read by the task's: concurrent. */
    private final Map<SourceTable, TableStatus> knownStatus = new ConcurrentHashMap<>();
    /** Next offset the database holds, per assigned partition that has one. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** Tables stopped by an error in this task, and the partitions paused for them. */
    private final Map<SourceTable, Set<TopicPartition>> failedTables = new HashMap<>();
    private final Set<TopicPartition> pausedForError = new HashSet<>();
    /**
     * Rewinds asked for since the current {@code put} began. Connect seeks before its next poll,
     * so the remaining records of these partitions in this call are stale and come again; and of
     * two rewinds of one partition the earlier offset must win (Connect keeps only the last).
     */
    private final Map<TopicPartition, Long> rewindPending = new HashMap<>();
    private final Map<SourceTable, StatusChange> pendingStatus = new LinkedHashMap<>();
    /** Why the flush guard stopped the flow (null while it flows), and the partitions it paused. */
    private String blockedReason;
    private long nextResumeCheckMs;
    private final Set<TopicPartition> pausedByGuard = new HashSet<>();

    private PendingBatch batch = new PendingBatch();
    private BatchApplier applier;
    /** Applies flushes one after another, beside the task's thread. */
    private final ExecutorService applierThread;
    private InFlight inFlight;

    /** A flush handed to the applier thread and not yet taken back. */
    private record InFlight(PendingBatch batch, Map<SourceTable, StatusChange> statuses, Future<FlushOutcome> result) {
    }
    /** Set when a flush failed in a way that may hide a commit: reload the stored offsets before the next one. */
    private boolean offsetsUncertain;
    private long failingSinceMs = -1;
    private long nextAttemptAtMs;
    private int failedAttempts;
    private final FlushStats stats = new FlushStats();

    public SinkWriter(Settings settings, ConnectionFactory connections, ControlSchema controlSchema, String project,
                      TableModels models, ErrorPolicies policies, ConsumerControl consumer, FlushGuard guard) {
        this.settings = settings;
        this.connections = connections;
        this.controlSchema = controlSchema;
        this.control = new ControlTables(controlSchema, project, settings.connector());
        this.offsetStore = new OffsetStore(controlSchema, settings.connector());
        this.models = models;
        this.policies = policies;
        this.consumer = consumer;
        this.guard = guard;
        this.synchronizer = new TableSynchronizer(settings.autoCreate(), settings.autoEvolve());
        this.encoder = new SegmentEncoder(settings.unavailablePlaceholder());
        this.applierThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tidemark-apply-" + settings.connector());
            t.setDaemon(true);
            return t;
        });
    }

    /** Cumulative counts of what this writer applied. */
    public FlushStats stats() {
        return stats;
    }

    /** Connects and prepares the control schema; fails the task start when the database cannot be used. */
    public void start() {
        try {
            connection();
        } catch (SQLException e) {
            throw new ConnectException("Cannot prepare the target database (" + SqlErrors.describe(e) + "). Check "
                    + "connection.url, the user's rights (CREATE on the database for the control schema '"
                    + controlSchema.schema() + "') and that PostgreSQL is up.", e);
        }
    }

    // ---- partition lifecycle ------------------------------------------------------------------

    /** Partitions assigned: start each from the offset the database holds. */
    public void open(Collection<TopicPartition> partitions) {
        awaitInFlight(); // the connection is the applier thread's while a flush runs
        assigned.addAll(partitions);
        if (blockedReason != null) {
            consumer.pause(partitions);
            pausedByGuard.addAll(partitions);
        }
        Map<TopicPartition, Long> stored = withRetry("reading stored offsets", c -> offsetStore.load(c, partitions));
        committed.putAll(stored);
        if (!stored.isEmpty()) {
            consumer.rewind(stored);
            LOG.info("Starting {} partition(s) from the offsets stored in PostgreSQL: {}", stored.size(), stored);
        }
    }

    /** Partitions revoked: apply what is buffered for them if possible, then forget them. */
    public void close(Collection<TopicPartition> partitions) {
        if (!batch.isEmpty() || inFlight != null) {
            try {
                flushOnce();
            } catch (RuntimeException e) {
                LOG.warn("Could not apply the buffered records before giving up partitions {}: {}. The next owner "
                        + "starts from the offsets PostgreSQL holds, so nothing is lost.", partitions, e.getMessage());
                batch = new PendingBatch();
            }
        }
        batch.dropPartitions(partitions);
        assigned.removeAll(partitions);
        partitions.forEach(committed::remove);
        pausedForError.removeAll(partitions);
        pausedByGuard.removeAll(partitions);
        failedTables.values().forEach(set -> set.removeAll(partitions));
    }

    // ---- records ------------------------------------------------------------------------------

    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        rewindPending.clear();
        pollInFlight();
        if (blockedReason != null && !maybeResume(now)) {
            holdBack(records);
            return;
        }
        List<SinkRecord> heldBack = new ArrayList<>();
        for (SinkRecord record : records) {
            if (blockedReason != null) {
                heldBack.add(record); // a flush in this call was refused: nothing more is buffered
                continue;
            }
            TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            if (rewindPending.containsKey(tp)) {
                continue;
            }
            Long next = committed.get(tp);
            if (next != null && record.originalKafkaOffset() < next) {
                continue; // applied already: delivered again after a rewind or a retry
            }
            if (pausedForError.contains(tp)) {
                continue; // its table stopped; the partition was rewound and will deliver this again
            }
            SourceTable table = tablesByTopic.computeIfAbsent(record.topic(), SourceTable::fromTopic);
            if (failedTables.containsKey(table)) {
                continue;
            }
            add(record, table, now);
            if (batch.records() >= settings.batchSize()) {
                flushIfDue(false);
            }
        }
        if (!heldBack.isEmpty()) {
            holdBack(heldBack);
            return;
        }
        flushIfDue(false);
        if (!batch.isEmpty()) {
            consumer.wakeUpWithin(Math.max(10, settings.batchMaxWaitMs() - batch.ageMs(now)));
        }
    }

    private void add(SinkRecord record, SourceTable table, long now) {
        List<ChangeEvent> changes;
        try {
            changes = reader.read(record);
            for (ChangeEvent change : changes) {
                if (change.kind() == ChangeEvent.Kind.MARKER) {
                    batch.marker(table, record, change.marker());
                } else {
                    batch.table(table, models.target(table)).add(change, models);
                }
            }
            batch.consumed(record, table, now);
        } catch (BadRecordException e) {
            ErrorPolicy policy = policies.of(table);
            String reason = e.getMessage();
            switch (policy) {
                case FAIL -> failTable(table, "record " + BatchApplier.describe(record) + ": " + reason
                        + " (table.error.policy=fail)", record);
                case SKIP -> {
                    LOG.warn("Skipped record {} of table {}: {} (table.error.policy=skip)",
                            BatchApplier.describe(record), table, reason);
                    batch.consumed(record, table, now);
                }
                case FLAG -> {
                    batch.flag(table, record, reason);
                    batch.consumed(record, table, now);
                }
            }
        } catch (TableDefinitionException e) {
            failTable(table, e.getMessage(), record);
        }
    }

    /**
     * Stops a table now: drops its buffered changes, moves its partitions back to the first
     * offset not applied and pauses them. The records wait in Kafka; the status says why.
     */
    private void failTable(SourceTable table, String reason, SinkRecord current) {
        LOG.error("Table {} stopped (ERROR_ABORTED): {}. Its records wait in Kafka; fix the cause and restart the "
                + "task (POST /connectors/{}/restart?includeTasks=true).", table, reason, settings.connector());
        Map<TopicPartition, Long> rewindTo = new HashMap<>();
        for (TopicPartition tp : batch.dropTable(table)) {
            rewindTo.put(tp, rewindTarget(tp, batch.firstOffset(tp)));
        }
        if (current != null) {
            TopicPartition tp = new TopicPartition(current.originalTopic(), current.originalKafkaPartition());
            rewindTo.putIfAbsent(tp, rewindTarget(tp, current.originalKafkaOffset()));
        }
        stopTable(table, reason, rewindTo);
    }

    private long rewindTarget(TopicPartition tp, Long firstUnapplied) {
        Long stored = committed.get(tp);
        if (stored != null) {
            return stored;
        }
        return firstUnapplied == null ? 0 : firstUnapplied;
    }

    private void stopTable(SourceTable table, String reason, Map<TopicPartition, Long> rewindTo) {
        failedTables.computeIfAbsent(table, t -> new HashSet<>()).addAll(rewindTo.keySet());
        pausedForError.addAll(rewindTo.keySet());
        knownStatus.put(table, TableStatus.ERROR_ABORTED);
        pendingStatus.put(table, new StatusChange(models.target(table).toString(), TableStatus.ERROR_ABORTED, reason));
        if (!rewindTo.isEmpty()) {
            rewind(rewindTo);
            consumer.pause(rewindTo.keySet());
        }
    }

    private void rewind(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> earliest = new HashMap<>();
        offsets.forEach((tp, offset) -> earliest.put(tp, rewindPending.merge(tp, offset, Math::min)));
        consumer.rewind(earliest);
    }

    // ---- flushing -----------------------------------------------------------------------------

    /** Connect's commit point: apply what is buffered, report what the database holds. */
    public Map<TopicPartition, Long> preCommit() {
        if (!batch.isEmpty() || !pendingStatus.isEmpty()) {
            flushIfDue(true);
        }
        awaitInFlight(); // report what the database holds, including a flush that was still running
        Map<TopicPartition, Long> result = new HashMap<>();
        committed.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                result.put(tp, offset);
            }
        });
        return result;
    }

    private void flushIfDue(boolean force) {
        long now = System.currentTimeMillis();
        boolean due = force || batch.records() >= settings.batchSize()
                || (!batch.isEmpty() && batch.ageMs(now) >= settings.batchMaxWaitMs())
                || (!pendingStatus.isEmpty() && batch.isEmpty());
        if (!due || (batch.isEmpty() && pendingStatus.isEmpty())) {
            return;
        }
        if (now < nextAttemptAtMs) {
            if (batch.records() < settings.batchSize()) {
                return; // backing off after a failure; there is still room to buffer
            }
            sleep(nextAttemptAtMs - now); // full: wait out the backoff (bounded by retry.backoff.max.ms)
        }
        if (force) {
            flushOnce();
        } else {
            submitFlush();
        }
    }

    /**
     * Applies the batch and waits for it: the synchronous flush of commits, rebalances and stop.
     */
    private void flushOnce() {
        submitFlush();
        awaitInFlight();
    }

    /**
     * Hands the batch to the applier thread and returns; the task goes on converting and
     * buffering the next batch meanwhile, so PostgreSQL's work overlaps Connect's. One flush is in
     * flight at most: a second waits for the first, which keeps flushes (and their offsets) in order.
     */
    private void submitFlush() {
        awaitInFlight();
        if (batch.isEmpty() && pendingStatus.isEmpty()) {
            return;
        }
        PendingBatch current = batch;
        Map<SourceTable, StatusChange> statuses = new LinkedHashMap<>(pendingStatus);
        BatchApplier a;
        try {
            a = applier();
            if (offsetsUncertain && !reconcileOffsets(a.connection(), current)) {
                return; // the batch was dropped and its partitions rewound to where the database is
            }
        } catch (SQLException e) {
            onFlushFailure(current, e);
            return;
        }
        batch = new PendingBatch();
        pendingStatus.keySet().removeAll(statuses.keySet());
        inFlight = new InFlight(current, statuses, applierThread.submit(() -> a.apply(current, statuses)));
    }

    /** Takes back the flush in flight, if it is done. */
    private void pollInFlight() {
        if (inFlight != null && inFlight.result().isDone()) {
            awaitInFlight();
        }
    }

    /** Takes back the flush in flight, waiting for it, and acts on its outcome. */
    private void awaitInFlight() {
        InFlight flight = inFlight;
        if (flight == null) {
            return;
        }
        inFlight = null;
        try {
            FlushOutcome outcome = awaitUninterruptibly(flight.result());
            afterCommit(flight.batch(), outcome);
            failingSinceMs = -1;
            failedAttempts = 0;
            nextAttemptAtMs = 0;
        } catch (ExecutionException e) {
            flight.statuses().forEach(pendingStatus::putIfAbsent); // not written: write them with the next flush
            Throwable cause = e.getCause();
            if (cause instanceof BatchApplier.Refused refused) {
                dropBufferedAndRewind(flight.batch());
                block(refused.getMessage(), flight.batch());
            } else if (cause instanceof SQLException sql) {
                onFlushFailure(flight.batch(), sql);
            } else if (cause instanceof RuntimeException runtime) {
                throw runtime;
            } else {
                throw new ConnectException("Applying a batch failed: " + cause, cause);
            }
        }
    }

    private static <T> T awaitUninterruptibly(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the flush must be settled before the task can go on or stop
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A flush failed: nothing of it was applied (or, when the answer to COMMIT was lost, the next
     * flush finds out from the stored offsets). Its records, and those buffered since, are
     * delivered again from the offsets the database holds.
     */
    private void onFlushFailure(PendingBatch failed, SQLException e) {
        offsetsUncertain = true;
        abandonConnection();
        if (!SqlErrors.isTransient(e)) {
            batch = new PendingBatch();
            throw new ConnectException("Applying a batch to PostgreSQL failed: " + SqlErrors.describe(e)
                    + ". Nothing of the batch was applied. Fix the cause, then restart the task.", e);
        }
        dropBufferedAndRewind(failed);
        scheduleRetry(e);
    }

    /** A flush did not apply: drop what was buffered behind it too, and deliver both again. */
    private void dropBufferedAndRewind(PendingBatch failed) {
        PendingBatch newer = batch;
        batch = new PendingBatch();
        rewindBatches(failed, newer);
    }

    /**
     * After a failure that may have hidden a commit (the connection broke during COMMIT), the
     * database is the truth: take its offsets, and if they differ from what this task believed,
     * drop the batch and deliver the partitions again from there.
     *
     * @return true when the batch can be applied as it is
     */
    private boolean reconcileOffsets(Connection connection, PendingBatch current) throws SQLException {
        Map<TopicPartition, Long> stored = offsetStore.load(connection, assigned);
        connection.commit();
        offsetsUncertain = false;
        Map<TopicPartition, Long> changed = new HashMap<>();
        for (TopicPartition tp : assigned) {
            Long db = stored.get(tp);
            if (db != null && !db.equals(committed.get(tp))) {
                changed.put(tp, db);
            }
        }
        if (changed.isEmpty()) {
            return true;
        }
        LOG.info("The database holds other offsets than this task expected (a commit whose answer was lost): {}. "
                + "Delivering those partitions again from there.", changed);
        committed.putAll(changed);
        batch = new PendingBatch();
        Map<TopicPartition, Long> rewindTo = new HashMap<>(changed);
        for (TopicPartition tp : current.nextOffsets().keySet()) {
            rewindTo.putIfAbsent(tp, rewindTarget(tp, current.firstOffset(tp)));
        }
        rewind(rewindTo);
        return false;
    }

    /**
     * The guard refused a flush (the license is exhausted or expired): pause every partition and
     * wait, the task RUNNING, until the guard lets the flow resume. The refused records wait in
     * Kafka: their partitions were rewound to the offsets the database holds.
     */
    private void block(String reason, PendingBatch refused) {
        boolean first = blockedReason == null;
        blockedReason = reason;
        Set<TopicPartition> toPause = new HashSet<>(assigned);
        toPause.removeAll(pausedForError);
        toPause.removeAll(pausedByGuard);
        pausedByGuard.addAll(toPause);
        consumer.pause(toPause);
        long now = System.currentTimeMillis();
        nextResumeCheckMs = now + settings.resumeCheckIntervalMs();
        consumer.wakeUpWithin(settings.resumeCheckIntervalMs());
        if (first) {
            LOG.error("Applying stopped: {}. {} records were not applied and wait in Kafka; the task stays RUNNING "
                    + "with its partitions paused and resumes by itself once the cause is gone.", reason,
                    refused.records());
        }
        try {
            guard.refused(connection(), reason);
        } catch (SQLException e) {
            abandonConnection();
            LOG.warn("Could not record why applying stopped: {}", SqlErrors.describe(e));
        }
    }

    /** While blocked: ask the guard now and then whether the flow may resume; resume if so. */
    private boolean maybeResume(long now) {
        if (now < nextResumeCheckMs) {
            return false;
        }
        nextResumeCheckMs = now + settings.resumeCheckIntervalMs();
        consumer.wakeUpWithin(settings.resumeCheckIntervalMs());
        awaitInFlight(); // the connection is the applier thread's while a flush runs
        try {
            if (!guard.mayResume(connection())) {
                return false;
            }
        } catch (SQLException e) {
            abandonConnection();
            LOG.warn("Could not check whether applying may resume: {}", SqlErrors.describe(e));
            return false;
        }
        LOG.info("Applying resumes ({} was the reason it stopped); resuming {} partition(s)", blockedReason,
                pausedByGuard.size());
        blockedReason = null;
        consumer.resume(pausedByGuard);
        pausedByGuard.clear();
        return true;
    }

    /** Records that arrive while blocked are not buffered: their partitions go back to deliver them again. */
    private void holdBack(Collection<SinkRecord> records) {
        Map<TopicPartition, Long> rewindTo = new HashMap<>();
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            Long next = committed.get(tp);
            if (next != null && record.originalKafkaOffset() < next) {
                continue;
            }
            rewindTo.merge(tp, record.originalKafkaOffset(), Math::min);
        }
        if (!rewindTo.isEmpty()) {
            rewind(rewindTo);
        }
    }

    /** Why applying is stopped by the flush guard, or null while it flows. */
    public String blockedReason() {
        return blockedReason;
    }

    private void afterCommit(PendingBatch applied, FlushOutcome outcome) {
        committed.putAll(outcome.committedOffsets);
        stats.add(outcome);
        for (Map.Entry<SourceTable, String> failure : outcome.failedTables.entrySet()) {
            SourceTable table = failure.getKey();
            LOG.error("Table {} stopped (ERROR_ABORTED): {}. Its records wait in Kafka; fix the cause and restart "
                    + "the task (POST /connectors/{}/restart?includeTasks=true).", table, failure.getValue(),
                    settings.connector());
            applier.forget(table);
            Map<TopicPartition, Long> rewindTo = new HashMap<>();
            applied.nextOffsets().keySet().stream().filter(tp -> applied.tablesOf(tp).contains(table))
                    .forEach(tp -> rewindTo.put(tp, rewindTarget(tp, applied.firstOffset(tp))));
            batch.dropTable(table); // buffered while the flush ran: after the rewind point, they come again
            // The status was written in the flush; only the consumer side remains.
            failedTables.computeIfAbsent(table, t -> new HashSet<>()).addAll(rewindTo.keySet());
            pausedForError.addAll(rewindTo.keySet());
            if (!rewindTo.isEmpty()) {
                rewind(rewindTo);
                consumer.pause(rewindTo.keySet());
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Applied {} records: {} upserted, {} deleted, {} bytes", outcome.records, outcome.upserted,
                    outcome.deleted, outcome.bytes);
        }
    }

    /** Delivers the partitions of dropped batches again from the first record the database lacks. */
    private void rewindBatches(PendingBatch... dropped) {
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        for (PendingBatch b : dropped) {
            for (TopicPartition tp : b.nextOffsets().keySet()) {
                firstOffsets.merge(tp, b.firstOffset(tp), Math::min);
            }
        }
        Map<TopicPartition, Long> rewindTo = new HashMap<>();
        firstOffsets.forEach((tp, first) -> rewindTo.put(tp, rewindTarget(tp, first)));
        if (!rewindTo.isEmpty()) {
            rewind(rewindTo);
        }
    }

    private void scheduleRetry(SQLException e) {
        long now = System.currentTimeMillis();
        if (failingSinceMs < 0) {
            failingSinceMs = now;
        }
        failedAttempts++;
        long backoff = settings.retry().backoffMs(failedAttempts, failingSinceMs, now);
        if (backoff < 0) {
            throw new ConnectException("PostgreSQL has failed every attempt for " + (now - failingSinceMs) + " ms (last "
                    + "error: " + SqlErrors.describe(e) + "). Nothing was lost: the records wait in Kafka. Once the "
                    + "database is reachable, restart the task (POST /connectors/" + settings.connector()
                    + "/restart?includeTasks=true), or raise retry.max.duration.ms.", e);
        }
        nextAttemptAtMs = now + backoff;
        consumer.wakeUpWithin(backoff);
        LOG.warn("Applying a batch failed ({}); the records will be delivered again and retried in {} ms "
                + "(attempt {}, retrying for up to {} ms)", SqlErrors.describe(e), backoff, failedAttempts,
                settings.retry().maxDurationMs());
    }

    // ---- connection ---------------------------------------------------------------------------

    private BatchApplier applier() throws SQLException {
        connection();
        return applier;
    }

    private Connection connection() throws SQLException {
        if (applier != null) {
            return applier.connection();
        }
        Connection c = connections.open();
        try {
            controlSchema.ensure(c);
            control.registerProject(c);
            c.commit();
            if (guard != null) {
                guard.prepare(c);
            }
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing
            }
            throw e;
        }
        applier = new BatchApplier(c, synchronizer, encoder, policies, offsetStore, control, guard, knownStatus);
        return c;
    }

    private void abandonConnection() {
        if (applier != null) {
            applier.close();
            applier = null;
        }
    }

    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs a read with the retry policy (used where no batch is at stake). */
    private <T> T withRetry(String what, SqlWork<T> work) {
        long started = System.currentTimeMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                Connection c = connection();
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                abandonConnection();
                long backoff = SqlErrors.isTransient(e)
                        ? settings.retry().backoffMs(attempt, started, System.currentTimeMillis()) : -1;
                if (backoff < 0) {
                    throw new ConnectException(what + " failed: " + SqlErrors.describe(e), e);
                }
                LOG.warn("{} failed ({}); retrying in {} ms", what, SqlErrors.describe(e), backoff);
                sleep(backoff);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while waiting to retry", e);
        }
    }

    /** Applies what is buffered (best effort) and closes the connection. */
    public void stop() {
        try {
            if (!batch.isEmpty() || !pendingStatus.isEmpty() || inFlight != null) {
                flushOnce();
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not apply the last {} buffered records on stop: {}. They will be delivered again.",
                    batch.records(), e.getMessage());
        } finally {
            applierThread.shutdown();
            abandonConnection();
        }
    }

    /** The partitions paused because their table stopped with an error. */
    public Set<TopicPartition> pausedForError() {
        return Set.copyOf(pausedForError);
    }
}
