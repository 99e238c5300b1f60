package io.tidemark.sink.writer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.batch.BatchBuffer;
import io.tidemark.sink.batch.PendingBatch;
import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.control.PartitionStatus;
import io.tidemark.sink.control.TableView;
import io.tidemark.sink.iteration.PartitionIterations;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.PartitionPositions;
import io.tidemark.sink.schema.TableModels;

/**
 * Stops a table for an error (ERROR_ABORTED) on the task's side, whether one of its records could
 * not be read or its part of a flush failed: its buffered changes are dropped, its partitions move
 * back to the first offset not applied and are paused (the records wait in Kafka), and a FULL table's
 * staged iteration is aborted with the matching rewind. The status says why.
 */
final class TableErrorStops {

    private static final Logger LOG = LoggerFactory.getLogger(TableErrorStops.class);

    private final String connector;
    private final TableStops stops;
    private final Lifecycle lifecycle;
    private final BatchBuffer buffer;
    private final PartitionPositions positions;
    private final PartitionPauses pauses;
    private final PartitionIterations iterations;
    private final TableView view;
    private final TableModels models;

    TableErrorStops(String connector, TableStops stops, Lifecycle lifecycle, BatchBuffer buffer,
                    PartitionPositions positions, PartitionPauses pauses, PartitionIterations iterations,
                    TableView view, TableModels models) {
        this.connector = connector;
        this.stops = stops;
        this.lifecycle = lifecycle;
        this.buffer = buffer;
        this.positions = positions;
        this.pauses = pauses;
        this.iterations = iterations;
        this.view = view;
        this.models = models;
    }

    /**
     * A record of the table at {@code current}/{@code currentOffset} cannot be applied: the table stops
     * there. {@code settleInFlight} lets a flush in flight commit what it stages before a FULL abort.
     */
    void atRecord(SourceTable table, String reason, TopicPartition current, long currentOffset,
                  Runnable settleInFlight) {
        stop(table, reason);
        PendingBatch batch = buffer.current();
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        batch.partitionsOf(table).forEach(tp -> firstOffsets.put(tp, batch.firstOffset(tp)));
        firstOffsets.merge(current, currentOffset, (a, b) -> a == null ? b : Math.min(a, b));
        batch.dropTable(table);
        firstOffsets.forEach((tp, first) -> {
            positions.rewindToDatabase(tp, first);
            markStopped(table, tp, reason);
        });
        iterations.dropped(firstOffsets.keySet());
        if (view.mode(table) == ConsistencyMode.FULL) {
            settleInFlight.run();
            lifecycle.abortFull(table, lifecycle.ownedPartitionsOf(table));
        }
    }

    /**
     * The flush committed without the table (its part was rolled back to its savepoint and its status
     * written in the flush). What was buffered for it while the flush ran comes again after the rewind.
     */
    void afterFlush(SourceTable table, String reason, PendingBatch applied) {
        stop(table, reason);
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        for (PendingBatch b : List.of(applied, buffer.current())) {
            b.partitionsOf(table).forEach(tp -> firstOffsets.merge(tp, b.firstOffset(tp), Math::min));
        }
        buffer.current().dropTable(table);
        firstOffsets.forEach((tp, first) -> {
            positions.rewindToDatabase(tp, first);
            pauses.pause(List.of(tp), PartitionPauses.Reason.TABLE_STOPPED);
        });
        iterations.dropped(firstOffsets.keySet());
        if (view.mode(table) == ConsistencyMode.FULL) {
            lifecycle.abortFull(table, lifecycle.ownedPartitionsOf(table));
        }
    }

    /** Pauses a partition of a stopped table and writes its status with the next flush. */
    void markStopped(SourceTable table, TopicPartition tp, String reason) {
        pauses.pause(List.of(tp), PartitionPauses.Reason.TABLE_STOPPED);
        buffer.current().status(new PartitionStatus(table, models.targetName(table), tp, TableStatus.ERROR_ABORTED,
                reason));
    }

    private void stop(SourceTable table, String reason) {
        if (stops.stop(table, reason)) {
            LOG.error("Table {} stopped (ERROR_ABORTED): {}. Its records wait in Kafka; fix the cause and start the "
                    + "table (UPDATE <control>.table_state SET desired_state = 'RUNNING', or the control API), or "
                    + "restart the task (POST /connectors/{}/restart?includeTasks=true).", table, reason, connector);
            lifecycle.stoppedForError(table, reason);
        }
    }
}
