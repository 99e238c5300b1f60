package io.tidemark.sink.writer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.batch.BatchBuffer;
import io.tidemark.sink.batch.PendingBatch;
import io.tidemark.sink.control.PartitionStatus;
import io.tidemark.sink.errors.LockHolders;
import io.tidemark.sink.errors.RetrySchedule;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.flush.ApplierSession;
import io.tidemark.sink.flush.MoveWaitsForOldRow;
import io.tidemark.sink.flush.PartitionsFenced;
import io.tidemark.sink.flush.TableSqlException;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.sink.offsets.PartitionPositions;
import io.tidemark.sink.schema.TableModels;

/**
 * What the writer does when a flush does not commit: a database error is retried with backoff
 * (the records come again from the offsets the database holds) or fails the task saying what to
 * do; a flush fenced by another owner gives those partitions up; and after any failure that may
 * have hidden a commit, the next flush first takes the database's offsets (and the iterations its
 * partitions are in) as the truth.
 */
final class FlushFailures {

    private static final Logger LOG = LoggerFactory.getLogger(FlushFailures.class);

    private final String connector;
    private final String owner;
    private final ApplierSession session;
    private final OffsetStore offsetStore;
    private final PartitionPositions positions;
    private final PartitionPauses pauses;
    private final BatchBuffer buffer;
    private final RetrySchedule retry;
    private final TableModels models;
    private final ConsumerControl consumer;
    private final OffsetsReconciled onReconciled;
    private final MoveHolds moveHolds;
    /** Set when a flush failed in a way that may hide a commit: reload the stored offsets before the next one. */
    private boolean offsetsUncertain;

    FlushFailures(String connector, String owner, ApplierSession session, OffsetStore offsetStore,
                  PartitionPositions positions, PartitionPauses pauses, BatchBuffer buffer, RetrySchedule retry,
                  TableModels models, ConsumerControl consumer, OffsetsReconciled onReconciled) {
        this.connector = connector;
        this.owner = owner;
        this.session = session;
        this.offsetStore = offsetStore;
        this.positions = positions;
        this.pauses = pauses;
        this.buffer = buffer;
        this.retry = retry;
        this.models = models;
        this.consumer = consumer;
        this.onReconciled = onReconciled;
        this.moveHolds = new MoveHolds(pauses, consumer);
    }

    /** Told of partitions whose stored offsets differ from what the task believed, on the connection that read them. */
    interface OffsetsReconciled {
        void reconciled(Connection connection, Set<TopicPartition> partitions) throws SQLException;
    }

    /** The partitions held back at key changes that wait for their old rows. */
    MoveHolds moveHolds() {
        return moveHolds;
    }

    /** Something went wrong in a way that may have hidden a commit: check the database before the next flush. */
    void connectionInDoubt() {
        offsetsUncertain = true;
        session.abandon();
    }

    void succeeded() {
        retry.succeeded();
    }

    /** Whether a flush may run now (false while backing off after a failure). */
    boolean mayFlush(long nowMs) {
        return retry.due(nowMs);
    }

    long waitMs(long nowMs) {
        return retry.waitMs(nowMs);
    }

    /**
     * A flush failed: nothing of it was applied (or, when the answer to COMMIT was lost, the next
     * flush finds out from the stored offsets). Its records, and those buffered since, are
     * delivered again from the offsets the database holds. Key changes that wait for their old rows
     * hold back only their partitions, for a moment ({@link MoveHolds}).
     *
     * @throws ConnectException when the error is not transient or the retry time is up (the task fails)
     */
    void failed(PendingBatch failed, SQLException e) {
        if (e instanceof MoveWaitsForOldRow waiting) { // rolled back cleanly: the connection and the retry time stay
            LOG.debug("Key changes wait for their old rows, holding back {}: {}", waiting.waiting(), e.getMessage());
            buffer.dropAndRewind(failed);
            moveHolds.waiting(waiting, System.currentTimeMillis());
            return;
        }
        connectionInDoubt();
        buffer.dropAndRewind(failed);
        if (!SqlErrors.isTransient(e)) {
            throw new ConnectException("Applying a batch to PostgreSQL failed: " + SqlErrors.describe(e)
                    + ". Nothing of the batch was applied; its records wait in Kafka. Fix the cause, then restart the "
                    + "task (POST /connectors/" + connector + "/restart?includeTasks=true).", e);
        }
        long now = System.currentTimeMillis();
        long backoff = retry.failed(now);
        if (backoff < 0) {
            throw new ConnectException("PostgreSQL has failed every attempt for " + retry.failingForMs(now)
                    + " ms (last error: " + SqlErrors.describe(e) + "). Nothing was lost: the records wait in Kafka. "
                    + "Once the database is reachable, restart the task (POST /connectors/" + connector
                    + "/restart?includeTasks=true), or raise retry.max.duration.ms.", e);
        }
        consumer.wakeUpWithin(backoff);
        String why = retryReason(e);
        LOG.warn("Applying a batch failed ({}); the records will be delivered again and retried in {} ms "
                + "(attempt {}, retrying for up to {} ms)", why, backoff, retry.failedAttempts(),
                retry.policy().maxDurationMs());
        if (e instanceof TableSqlException tableError && !SqlErrors.isConnectionFailure(e)) {
            markRetrying(tableError.table(), failed, why); // the database answers: it can show why
        }
    }

    /** The failure in words, naming who holds the lock when a lock wait timed out. */
    private String retryReason(SQLException e) {
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

    /**
     * Another task owns some partitions now: give them up. The database lost the others (it went
     * back): claim them again. The rest of the flush comes again.
     */
    void fenced(PendingBatch failed, PartitionsFenced fenced) {
        Set<TopicPartition> lost = fenced.takenOver();
        Set<TopicPartition> wentBack = new HashSet<>(fenced.ourEpochs().keySet());
        wentBack.removeAll(lost);
        if (!lost.isEmpty()) {
            LOG.error("{}: another task took over partitions this task was still applying ({}). The whole flush was "
                    + "rolled back and this task applies nothing more of them; their new owner goes on from the "
                    + "offsets in PostgreSQL. This happens to a task that outlived its consumer session "
                    + "(max.poll.interval.ms) or that the worker gave up on.", owner, fenced.getMessage());
            giveUp(lost);
        }
        if (!wentBack.isEmpty()) {
            claimAgain(wentBack, fenced.getMessage());
        }
        buffer.dropAndRewind(failed);
    }

    /**
     * The database went back behind this task's claim or commits (a failover to a standby that
     * lacked them, a restored backup): nobody else holds the partitions, so claim them again and
     * start from what the database holds now.
     */
    private void claimAgain(Set<TopicPartition> partitions, String why) {
        LOG.warn("{}: PostgreSQL no longer holds partitions {} as this task left them ({}): it went back, as after a "
                + "failover to a standby that lacked the last commits. The flush was rolled back; the task claims "
                + "them again and applies them again from the offsets PostgreSQL holds now.", owner, partitions, why);
        positions.unclaim(partitions);
        pauses.pause(partitions, PartitionPauses.Reason.UNCLAIMED);
        consumer.wakeUpWithin(10);
    }

    private void giveUp(Set<TopicPartition> lost) {
        positions.fence(lost);
        pauses.pause(lost, PartitionPauses.Reason.FENCED);
    }

    /**
     * Before a flush after a failure that may have hidden a commit (the connection broke during
     * COMMIT): the database is the truth. Takes its offsets (and owners), and if they differ from
     * what this task believed, drops the batch and delivers its partitions again from there.
     *
     * @return true when the batch can be applied as it is
     */
    boolean reconcile(Connection connection, PendingBatch current) throws SQLException {
        if (!offsetsUncertain) {
            return true;
        }
        Set<TopicPartition> owned = positions.owned();
        Map<TopicPartition, OffsetStore.Ownership> stored = offsetStore.ownership(connection, owned);
        connection.commit();
        offsetsUncertain = false;
        Map<TopicPartition, Long> epochs = positions.epochs(owned);
        Map<TopicPartition, Long> changed = new HashMap<>();
        Set<TopicPartition> lost = new HashSet<>();
        Set<TopicPartition> wentBack = new HashSet<>();
        for (TopicPartition tp : owned) {
            OffsetStore.Ownership db = stored.get(tp);
            Long ours = positions.committedOffset(tp);
            if (OffsetStore.Ownership.takenOver(epochs.get(tp), db)) {
                lost.add(tp);
            } else if (db == null || db.epoch() != epochs.get(tp)
                    || (ours != null && (db.nextOffset() == null || db.nextOffset() < ours))) {
                wentBack.add(tp);
            } else if (db.nextOffset() != null && !db.nextOffset().equals(ours)) {
                changed.put(tp, db.nextOffset());
            }
        }
        if (!wentBack.isEmpty()) {
            claimAgain(wentBack, "found when reconnecting");
        }
        if (changed.isEmpty() && lost.isEmpty() && wentBack.isEmpty()) {
            return true;
        }
        if (!lost.isEmpty()) {
            LOG.error("{}: partitions {} were taken over by another task while this one could not reach PostgreSQL; "
                    + "it applies nothing more of them", owner, lost);
            giveUp(lost);
        }
        if (!changed.isEmpty()) {
            LOG.info("The database holds other offsets than this task expected (a commit whose answer was lost): {}. "
                    + "Delivering those partitions again from there.", changed);
            positions.committed(changed);
            onReconciled.reconciled(connection, changed.keySet()); // and the markers they passed
            connection.commit();
        }
        buffer.dropAndRewind(current);
        return false;
    }
}
