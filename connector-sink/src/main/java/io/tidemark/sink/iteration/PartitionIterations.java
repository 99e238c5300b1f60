package io.tidemark.sink.iteration;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.common.marker.IterationMarker;

/**
 * Which iteration each partition of the task is in: the last marker it passed that the database
 * has (taken from the ledger at every claim and after a failure that may have hidden a commit,
 * then followed through the task's commits), and the marker taken into a batch not yet committed
 * (records after marker N belong to iteration N+1).
 *
 * <p>Whether a partition holds at its last marker is not kept here but decided from the ledger
 * ({@link #holdAt}): a FULL table's partition waits at marker N until iteration N is applied, and
 * every partition stops at a soft stop's final marker until that iteration is complete. So a task
 * that restarts, or takes a partition over, at any moment holds where the database says.
 */
public final class PartitionIterations {

    /**
     * A partition at a marker: it takes no more records until the marker commits, then, from the
     * ledger, waits ({@code waitForApply}) or stops ({@code isFinal}).
     */
    public record Hold(long iteration, boolean waitForApply, boolean isFinal) {
    }

    private static final class State {
        Long committed;
        Long taken;
        Hold holding;
    }

    private final Map<TopicPartition, State> states = new HashMap<>();

    /**
     * How a partition whose last marker is {@code lastMarker} holds, by the ledger's facts of that
     * iteration; null when it goes on. A FULL table's partition waits while the FULL tables do not
     * have the iteration yet (not while its table is out of the iterations, stopped); any partition
     * stops at a final marker until that iteration is complete (then its table is STOPPED).
     */
    public static Hold holdAt(Long lastMarker, IterationLedger.MarkerFacts facts, boolean waitsInFull) {
        if (lastMarker == null || facts == null) {
            return null;
        }
        boolean waiting = waitsInFull && lastMarker >= 1 && !facts.fullyApplied();
        boolean stopped = facts.isFinal() && !facts.complete();
        return waiting || stopped ? new Hold(lastMarker, waiting, stopped) : null;
    }

    /** The last marker the ledger has for each partition (none: the partition passed no marker yet). */
    public void claimed(Collection<TopicPartition> partitions, Map<TopicPartition, Long> lastMarkers) {
        for (TopicPartition tp : partitions) {
            State s = new State();
            s.committed = lastMarkers.get(tp);
            s.taken = s.committed;
            states.put(tp, s);
        }
    }

    /**
     * After a failure that may have hidden a commit: the database's last markers are the truth for
     * these partitions (a commit went through, or, after a failover, did not).
     */
    public void reconciled(Collection<TopicPartition> partitions, Map<TopicPartition, Long> lastMarkers) {
        for (TopicPartition tp : partitions) {
            State s = states.get(tp);
            if (s != null) {
                s.committed = lastMarkers.get(tp);
                s.taken = s.committed;
                s.holding = null;
            }
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
     * @return the partitions that held at one of them, with their hold: the caller pauses them at
     *         once, and the ledger decides from then on
     */
    public Map<TopicPartition, Hold> committed(Map<TopicPartition, Long> lastMarkerPerPartition) {
        Map<TopicPartition, Hold> held = new HashMap<>();
        lastMarkerPerPartition.forEach((tp, iteration) -> {
            State s = states.get(tp);
            if (s == null) {
                return;
            }
            s.committed = s.committed == null ? iteration : Math.max(s.committed, iteration);
            if (s.holding != null && s.holding.iteration() <= iteration) {
                held.put(tp, s.holding);
                s.holding = null;
            }
        });
        return held;
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

    /** After an abort the partition goes back to an earlier marker (its staged progress was dropped). */
    public void rewoundTo(TopicPartition tp, Long lastMarker) {
        State s = states.get(tp);
        if (s != null) {
            s.committed = lastMarker;
            s.taken = lastMarker;
            s.holding = null;
        }
    }

    /** The last marker the database has for each of these partitions (absent: none). */
    public Map<TopicPartition, Long> committedMarkers(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> result = new HashMap<>();
        for (TopicPartition tp : partitions) {
            State s = states.get(tp);
            if (s != null && s.committed != null) {
                result.put(tp, s.committed);
            }
        }
        return result;
    }
}
