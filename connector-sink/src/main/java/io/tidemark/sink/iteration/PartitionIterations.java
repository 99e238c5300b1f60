package io.tidemark.sink.iteration;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.common.marker.IterationMarker;

/**
 * Which iteration each partition of the task is in: the last marker it passed, committed and
 * taken into a batch not yet committed (records after marker N belong to iteration N+1), and
 * whether it holds at a marker — a FULL table's partition waits at marker N until iteration N is
 * applied; every partition stops at a final marker.
 */
public final class PartitionIterations {

    /** A partition at a marker: it takes no more records until the marker commits, then waits or stops. */
    public record Hold(long iteration, boolean waitForApply, boolean isFinal) {
    }

    private static final class State {
        Long committed;
        Long taken;
        Hold holding;
        Hold waiting;
    }

    private final Map<TopicPartition, State> states = new HashMap<>();

    /** The last marker the database has for each partition just claimed (none: the partition has passed no marker). */
    public void claimed(Collection<TopicPartition> partitions, Map<TopicPartition, Long> lastMarkers) {
        for (TopicPartition tp : partitions) {
            State s = new State();
            s.committed = lastMarkers.get(tp);
            s.taken = s.committed;
            states.put(tp, s);
        }
    }

    public void revoke(Collection<TopicPartition> partitions) {
        partitions.forEach(states::remove);
    }

    /** The iteration the partition's next record belongs to: 0 before its first marker. */
    public long currentIteration(TopicPartition tp) {
        State s = states.get(tp);
        return s == null || s.taken == null ? 0 : s.taken + 1;
    }

    /** Whether the marker was seen in this partition already (a replay after a source restart). */
    public boolean alreadyPassed(TopicPartition tp, IterationMarker marker) {
        State s = states.get(tp);
        return s != null && s.taken != null && marker.iteration() <= s.taken;
    }

    /** A marker was taken into the batch; with a hold, the partition takes nothing more until it commits. */
    public void markerTaken(TopicPartition tp, IterationMarker marker, Hold hold) {
        State s = states.computeIfAbsent(tp, k -> new State());
        s.taken = marker.iteration();
        if (hold != null) {
            s.holding = hold;
        }
    }

    /** Whether the partition holds at a marker not committed yet (its next records must come again later). */
    public boolean isHolding(TopicPartition tp) {
        State s = states.get(tp);
        return s != null && s.holding != null;
    }

    /**
     * The markers of a batch committed.
     *
     * @return the partitions that held at one of them, with their hold: the caller pauses them
     */
    public Map<TopicPartition, Hold> committed(Map<TopicPartition, Long> lastMarkerPerPartition) {
        Map<TopicPartition, Hold> nowWaiting = new HashMap<>();
        lastMarkerPerPartition.forEach((tp, iteration) -> {
            State s = states.get(tp);
            if (s == null) {
                return;
            }
            s.committed = s.committed == null ? iteration : Math.max(s.committed, iteration);
            if (s.holding != null && s.holding.iteration() <= iteration) {
                s.waiting = s.holding;
                s.holding = null;
                nowWaiting.put(tp, s.waiting);
            }
        });
        return nowWaiting;
    }

    /** The batches holding these partitions' records were dropped: back to what is committed. */
    public void dropped(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            State s = states.get(tp);
            if (s != null) {
                s.taken = s.committed;
                s.holding = null;
            }
        }
    }

    /** The partitions waiting for an iteration to be applied, with the hold. */
    public Map<TopicPartition, Hold> waiting() {
        Map<TopicPartition, Hold> result = new HashMap<>();
        states.forEach((tp, s) -> {
            if (s.waiting != null) {
                result.put(tp, s.waiting);
            }
        });
        return result;
    }

    /** The partition no longer waits (its iteration was applied, or it was stopped or restarted). */
    public void released(TopicPartition tp) {
        State s = states.get(tp);
        if (s != null) {
            s.waiting = null;
        }
    }

    /** After an abort the partition goes back to an earlier marker (its staged progress was dropped). */
    public void rewoundTo(TopicPartition tp, Long lastMarker) {
        State s = states.get(tp);
        if (s != null) {
            s.committed = lastMarker;
            s.taken = lastMarker;
            s.holding = null;
            s.waiting = null;
        }
    }

    public Long committedMarker(TopicPartition tp) {
        State s = states.get(tp);
        return s == null ? null : s.committed;
    }
}
