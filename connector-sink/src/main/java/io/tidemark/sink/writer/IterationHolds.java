package io.tidemark.sink.writer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.control.TableView;
import io.tidemark.sink.iteration.IterationLedger;
import io.tidemark.sink.iteration.PartitionIterations;
import io.tidemark.sink.naming.SourceTable;

/**
 * The partitions that hold at their last marker, as the ledger says, rebuilt at every claim and
 * every poll (nothing of it lives only in the task's memory): a FULL table's partition waits at
 * marker N (paused, WAITING) until iteration N is applied, and any partition stops at a soft stop's
 * final marker (paused, FINALIZING) until that iteration is complete, when its table is STOPPED.
 * A task restarted right after a marker's commit therefore holds where its predecessor did.
 */
final class IterationHolds {

    /** The ledger's facts for some partitions, read before the desired states (see {@link #apply}). */
    record Facts(Map<TopicPartition, Long> lastMarkers, Map<Long, IterationLedger.MarkerFacts> iterations) {
    }

    private final IterationLedger ledger;
    private final PartitionIterations iterations;
    private final PartitionPauses pauses;
    private final TableView view;
    private final TableStops stops;
    private final TableRegistry tables;
    private final Map<TopicPartition, PartitionIterations.Hold> holds = new HashMap<>();

    IterationHolds(IterationLedger ledger, PartitionIterations iterations, PartitionPauses pauses, TableView view,
                   TableStops stops, TableRegistry tables) {
        this.ledger = ledger;
        this.iterations = iterations;
        this.pauses = pauses;
        this.view = view;
        this.stops = stops;
        this.tables = tables;
    }

    /**
     * Reads what the ledger says of these partitions' last markers. Read it before the desired
     * states: an iteration completed in between then shows as not complete here (the partition
     * still holds) while its tables show STOPPED there (they hold too), never the other way round.
     */
    Facts read(Connection c, Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> markers = iterations.committedMarkers(partitions);
        Map<TopicPartition, Long> asked = new HashMap<>();
        partitions.forEach(tp -> asked.put(tp, markers.get(tp)));
        return new Facts(asked, ledger.markerFacts(c, new HashSet<>(markers.values())));
    }

    /** Pauses and resumes the partitions as the facts say. */
    void apply(Facts facts) {
        facts.lastMarkers().forEach((tp, marker) -> {
            PartitionIterations.Hold hold = marker == null ? null
                    : PartitionIterations.holdAt(marker, facts.iterations().get(marker), waitsInFull(tables.tableOf(tp)));
            set(tp, hold);
        });
    }

    /** A flush committed markers: the partitions that held at them pause at once; the ledger decides from then on. */
    void committed(Map<TopicPartition, PartitionIterations.Hold> held) {
        held.forEach((tp, hold) -> set(tp, hold.waitForApply() || hold.isFinal() ? hold : null));
    }

    private void set(TopicPartition tp, PartitionIterations.Hold hold) {
        if (hold == null) {
            holds.remove(tp);
        } else {
            holds.put(tp, hold);
        }
        List<TopicPartition> one = List.of(tp);
        if (hold != null && hold.waitForApply()) {
            pauses.pause(one, PartitionPauses.Reason.WAITING);
        } else {
            pauses.resume(one, PartitionPauses.Reason.WAITING);
        }
        if (hold != null && hold.isFinal()) {
            pauses.pause(one, PartitionPauses.Reason.FINAL);
        } else {
            pauses.resume(one, PartitionPauses.Reason.FINAL);
        }
    }

    /** How the partition holds now, or null. */
    PartitionIterations.Hold of(TopicPartition tp) {
        return holds.get(tp);
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(holds::remove);
    }

    /** A FULL table waits at its markers unless it left the iterations (stopped, or stopped by an error). */
    private boolean waitsInFull(SourceTable table) {
        return view.mode(table) == ConsistencyMode.FULL && !view.accepted(table).leavesIterations()
                && !stops.isStopped(table);
    }
}
