package io.tidemark.sink.writer;

import java.util.function.LongSupplier;

/**
 * When the buffered batch is applied. A full batch goes at once. Otherwise a batch waits for more
 * records only while more are coming: once the task is caught up and the applier is idle, it goes
 * now, so a quiet topic's change is applied in one round trip, not after {@code batch.max.wait.ms}.
 * That setting is the longest a record waits, reached only while records keep coming or a flush is
 * in flight.
 *
 * <p>Caught up means a short poll (less than {@code max.poll.records}) <em>and</em> the consumer's
 * lag at zero. A short poll alone does not prove it: a fetch cut by {@code max.partition.fetch.bytes}
 * or {@code fetch.max.bytes}, or the tail of one fetch while the next is on its way, returns less
 * while records wait in the partition, and under load that applied small batch after small batch.
 * Only when the consumer's lag cannot be read does a short poll decide alone.
 *
 * <p>When a flush is in flight, what arrives meanwhile waits for it (one flush at a time keeps the
 * offsets in order) and goes as soon as it has settled.
 */
public final class FlushTiming {

    /** How soon the task looks again while a caught-up batch waits for the flush in flight. */
    public static final long SETTLE_LOOK_MS = 10;

    private final long maxWaitMs;
    /** The consumer's {@code max.poll.records} as configured, or the largest poll seen if larger. */
    private int fullPoll;
    private boolean shortPoll;
    private LongSupplier lag = () -> ConsumerControl.UNKNOWN_LAG;
    /** Whether the last poll found the task caught up; null until asked (the lag is read at most once a poll). */
    private Boolean caughtUp = false;

    /**
     * @param maxWaitMs  {@code batch.max.wait.ms}
     * @param pollRecords the consumer's {@code max.poll.records} as the connector sets it (Kafka's default, 500,
     *                   when it does not); 0 turns the caught-up apply off
     */
    public FlushTiming(long maxWaitMs, int pollRecords) {
        this.maxWaitMs = maxWaitMs;
        this.fullPoll = pollRecords;
    }

    /**
     * A poll delivered this many records (Connect's {@code put}; none when the poll timed out).
     *
     * @param lag the consumer's lag ({@link ConsumerControl#lag}), read only after a short poll and
     *            only when a waiting batch asks
     */
    public void polled(int records, LongSupplier lag) {
        if (fullPoll <= 0) {
            return; // no caught-up apply: a batch waits for batch.max.wait.ms (or a commit point)
        }
        fullPoll = Math.max(fullPoll, records); // a worker-wide max.poll.records above the connector's hint
        shortPoll = records < fullPoll;
        this.lag = lag;
        caughtUp = null;
    }

    public boolean caughtUp() {
        if (caughtUp == null) {
            caughtUp = shortPoll && lag.getAsLong() <= 0; // negative: unknown, the short poll decides alone
        }
        return caughtUp;
    }

    /**
     * @param full        the batch has {@code batch.size} records or {@code batch.max.bytes}
     * @param ageMs       how long its oldest record has waited
     * @param applierIdle no flush in flight
     */
    public boolean due(boolean empty, boolean full, long ageMs, boolean applierIdle) {
        if (empty) {
            return false;
        }
        return full || ageMs >= maxWaitMs || (applierIdle && caughtUp());
    }

    /** How long the task may sleep before it looks at a waiting batch again. */
    public long wakeUpMs(long ageMs, boolean applierIdle) {
        if (!applierIdle && caughtUp()) {
            return SETTLE_LOOK_MS;
        }
        return Math.max(10, maxWaitMs - ageMs);
    }
}
