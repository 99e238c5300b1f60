package io.tidemark.sink.writer;

import java.sql.SQLException;
import java.util.Collection;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.flush.ApplierSession;
import io.tidemark.sink.flush.FlushGuard;

/**
 * The flow as the flush guard (license metering) allows it. When the guard refuses a flush, every
 * partition pauses and the task stays RUNNING; every few seconds the gate asks the guard again
 * whether the flow may resume (a new key installed as a row, for one), and resumes it without a
 * restart. Nothing is lost: the refused records were rewound and wait in Kafka.
 */
final class LicenseGate {

    private static final Logger LOG = LoggerFactory.getLogger(LicenseGate.class);

    private final FlushGuard guard;
    private final long checkIntervalMs;
    private final ApplierSession session;
    private final PartitionPauses pauses;
    private final ConsumerControl consumer;
    private String reason;
    private long nextCheckMs;
    /** The most records a flush takes while the last part of the volume is used up; unlimited otherwise. */
    private int batchLimit = Integer.MAX_VALUE;

    LicenseGate(FlushGuard guard, long checkIntervalMs, ApplierSession session, PartitionPauses pauses,
                ConsumerControl consumer) {
        this.guard = guard;
        this.checkIntervalMs = checkIntervalMs;
        this.session = session;
        this.pauses = pauses;
        this.consumer = consumer;
    }

    boolean isBlocked() {
        return reason != null;
    }

    /** Why the flow stopped, or null while it flows. */
    String reason() {
        return reason;
    }

    /** The batch size to flush at: the configured one, or less while the volume's last part is used up. */
    int batchSize(int configured) {
        return Math.min(configured, batchLimit);
    }

    /**
     * The guard refused a flush of {@code records} records for want of room, and some room is left:
     * the next flushes take half as many, so that the last part of the volume is usable. A single
     * record that does not fit stops the flow.
     *
     * @return true when the flush is split (the flow goes on), false when it must stop
     */
    boolean splits(int records) {
        if (records <= 1 || !guard.roomLeft()) {
            return false;
        }
        batchLimit = Math.max(1, records / 2);
        LOG.info("A flush of {} records does not fit in what is left of the license volume; flushes take at most {} "
                + "records now, to use the rest of it", records, batchLimit);
        return true;
    }

    /** Partitions assigned while the flow is stopped wait too. */
    void admit(Collection<TopicPartition> partitions) {
        if (reason != null) {
            pauses.pause(partitions, PartitionPauses.Reason.FLOW_BLOCKED);
        }
    }

    /** The guard refused a flush of {@code records} records: stop the flow on every partition. */
    void refused(String why, int records, Collection<TopicPartition> partitions) {
        boolean first = reason == null;
        reason = why;
        nextCheckMs = System.currentTimeMillis() + checkIntervalMs;
        if (first) {
            LOG.error("Applying stopped: {}. {} records were not applied and wait in Kafka; the task stays RUNNING "
                    + "with its partitions paused and resumes by itself once the cause is gone.", why, records);
        }
        pauses.pause(partitions, PartitionPauses.Reason.FLOW_BLOCKED);
        consumer.wakeUpWithin(checkIntervalMs);
        try {
            guard.refused(session.connection(), why);
        } catch (SQLException e) {
            session.abandon();
            LOG.warn("Could not record why applying stopped: {}", SqlErrors.describe(e));
        }
    }

    /**
     * While the flow is stopped: asks the guard, when a check is due, whether it may resume, and
     * resumes it if so. The caller has taken back any flush in flight (the check uses the connection).
     */
    void checkWhetherItMayResume(long nowMs) {
        consumer.wakeUpWithin(checkIntervalMs);
        if (reason == null || nowMs < nextCheckMs) {
            return;
        }
        nextCheckMs = nowMs + checkIntervalMs;
        try {
            if (!guard.mayResume(session.connection())) {
                return;
            }
        } catch (SQLException e) {
            session.abandon();
            LOG.warn("Could not check whether applying may resume: {}", SqlErrors.describe(e));
            return;
        }
        LOG.info("Applying resumes ({} was the reason it stopped)", reason);
        reason = null;
        batchLimit = Integer.MAX_VALUE;
        pauses.resumeAll(PartitionPauses.Reason.FLOW_BLOCKED);
    }

    /** Whether a check is due (so that the caller takes back a flush in flight first). */
    boolean checkDue(long nowMs) {
        return reason != null && nowMs >= nextCheckMs;
    }
}
