package io.tidemark.sink.writer;

/**
 * When the buffered batch is applied. A full batch goes at once. Otherwise a batch waits for more
 * records only while more are coming: once the task is caught up (its last poll brought less than
 * a full poll) and the applier is idle, it goes now, so a quiet topic's change is applied in one
 * round trip, not after {@code batch.max.wait.ms}. That setting is the longest a record waits,
 * reached only while records keep coming in full polls or a flush is in flight.
 *
 * <p>Under a steady load of full polls the batch still fills; when a flush is in flight, what
 * arrives meanwhile waits for it (one flush at a time keeps the offsets in order) and goes as
 * soon as it has settled.
 */
public final class FlushTiming {

    /** How soon the task looks again while a caught-up batch waits for the flush in flight. */
    public static final long SETTLE_LOOK_MS = 10;

    private final long maxWaitMs;
    /** The consumer's {@code max.poll.records} as configured, or the largest poll seen if larger. */
    private int fullPoll;
    private boolean caughtUp;

    /**
     * @param maxWaitMs  {@code batch.max.wait.ms}
     * @param pollRecords the consumer's {@code max.poll.records} as the connector sets it (Kafka's default, 500,
     *                   when it does not); 0 turns the caught-up apply off
     */
    public FlushTiming(long maxWaitMs, int pollRecords) {
        this.maxWaitMs = maxWaitMs;
        this.fullPoll = pollRecords;
    }

    /** A poll delivered this many records (Connect's {@code put}; none when the poll timed out). */
    public void polled(int records) {
        if (fullPoll <= 0) {
            return; // no caught-up apply: a batch waits for batch.max.wait.ms (or a commit point)
        }
        fullPoll = Math.max(fullPoll, records); // a worker-wide max.poll.records above the connector's hint
        caughtUp = records < fullPoll;
    }

    public boolean caughtUp() {
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
        return full || ageMs >= maxWaitMs || (caughtUp && applierIdle);
    }

    /** How long the task may sleep before it looks at a waiting batch again. */
    public long wakeUpMs(long ageMs, boolean applierIdle) {
        if (caughtUp && !applierIdle) {
            return SETTLE_LOOK_MS;
        }
        return Math.max(10, maxWaitMs - ageMs);
    }
}
