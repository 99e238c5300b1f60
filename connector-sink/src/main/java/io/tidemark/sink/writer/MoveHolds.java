package io.tidemark.sink.writer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.sink.flush.MoveWaitsForOldRow;

/**
 * Partitions whose key changes wait for old rows ({@link MoveWaitsForOldRow}): for a short time
 * each takes records only up to its first waiting one, and is paused (MOVE_WAIT) once it gets
 * there. The rest of the task's records, and the waiting partitions' records before the waiting
 * ones, go on meanwhile: they may carry the very old row another task's move waits for, and that
 * task's waiting record may carry the one this task's move waits for. Not a database failure: no
 * backoff, no retry time used up, the connection kept.
 */
final class MoveHolds {

    /** How long a waiting partition stops at its waiting record before it tries again. */
    static final long HOLD_MS = 500;

    private record Hold(long fromOffset, long untilMs) {
    }

    private final PartitionPauses pauses;
    private final ConsumerControl consumer;
    private final Map<TopicPartition, Hold> holds = new HashMap<>();

    MoveHolds(PartitionPauses pauses, ConsumerControl consumer) {
        this.pauses = pauses;
        this.consumer = consumer;
    }

    /** The flush rolled back for waiting moves (its batch is rewound by the caller). */
    void waiting(MoveWaitsForOldRow e, long nowMs) {
        e.waiting().forEach((tp, offset) -> holds.put(tp, new Hold(offset, nowMs + HOLD_MS)));
        consumer.wakeUpWithin(10); // the rest comes again at once
    }

    /**
     * Whether the record must wait (it is at or past its partition's first waiting record); the
     * partition is then paused until the hold ends. The caller holds the record back.
     */
    boolean holds(TopicPartition tp, long offset) {
        Hold hold = holds.get(tp);
        if (hold == null || offset < hold.fromOffset()) {
            return false;
        }
        pauses.pause(List.of(tp), PartitionPauses.Reason.MOVE_WAIT);
        return true;
    }

    /** Ends the holds whose time is up (their partitions go on); asks to be called again for the rest. */
    void endDue(long nowMs) {
        if (holds.isEmpty()) {
            return;
        }
        List<TopicPartition> due = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (Map.Entry<TopicPartition, Hold> e : holds.entrySet()) {
            if (e.getValue().untilMs() <= nowMs) {
                due.add(e.getKey());
            } else {
                next = Math.min(next, e.getValue().untilMs() - nowMs);
            }
        }
        due.forEach(holds::remove);
        pauses.resume(due, PartitionPauses.Reason.MOVE_WAIT);
        if (next != Long.MAX_VALUE) {
            consumer.wakeUpWithin(Math.max(10, next));
        }
    }

    /** Partitions revoked: their holds go with them. */
    void forget(java.util.Collection<TopicPartition> partitions) {
        partitions.forEach(holds::remove);
    }
}
