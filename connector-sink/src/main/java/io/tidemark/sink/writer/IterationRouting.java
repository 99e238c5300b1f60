package io.tidemark.sink.writer;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.sink.batch.Route;
import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.control.TableView;
import io.tidemark.sink.iteration.PartitionIterations;
import io.tidemark.sink.naming.SourceTable;

/**
 * The iteration a record belongs to and where it goes, and what a marker taken into the batch
 * holds: a FULL table's partition after marker N (N ≥ 1) until iteration N is applied, every
 * partition at a final marker.
 */
final class IterationRouting {

    private final PartitionIterations iterations;
    private final TableView view;

    IterationRouting(PartitionIterations iterations, TableView view) {
        this.iterations = iterations;
        this.view = view;
    }

    /**
     * Where a table's record goes: a FULL table's changes after its first marker are staged for
     * their iteration; everything else (PARTIAL tables, a FULL table's snapshot) goes to the target.
     */
    Route route(SourceTable table, TopicPartition tp) {
        long iteration = iterations.currentIteration(tp);
        return view.mode(table) == ConsistencyMode.FULL && iteration >= 1
                ? Route.stage(iteration, tp.partition()) : Route.target(iteration);
    }

    /**
     * A marker was taken into the batch. A FULL table's partition holds after marker N (N ≥ 1) until
     * iteration N is applied; every partition holds at a final marker, then stops.
     *
     * @return true when the marker is new (the batch should be flushed soon)
     */
    boolean markerTaken(SourceTable table, TopicPartition tp, IterationMarker marker) {
        if (iterations.alreadyPassed(tp, marker)) {
            return false; // the source emitted it again after a restart; the ledger keeps the first
        }
        boolean full = view.mode(table) == ConsistencyMode.FULL;
        PartitionIterations.Hold hold = null;
        if (marker.isFinal() || (full && marker.iteration() >= 1)) {
            hold = new PartitionIterations.Hold(marker.iteration(), full && marker.iteration() >= 1, marker.isFinal());
        }
        iterations.markerTaken(tp, marker, hold);
        return true;
    }
}
