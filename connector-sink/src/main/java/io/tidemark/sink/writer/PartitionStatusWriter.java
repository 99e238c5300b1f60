package io.tidemark.sink.writer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.batch.PendingBatch;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.control.DesiredStates;
import io.tidemark.sink.control.PartitionStatus;
import io.tidemark.sink.control.TableView;
import io.tidemark.sink.iteration.PartitionIterations;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.PartitionPositions;
import io.tidemark.sink.schema.TableModels;

/**
 * Writes the status of each partition of the task whose status changed, from what holds it: the
 * accepted state of its table, a hold at a marker (WAITING, FINALIZING), or nothing (RUNNING). An
 * ERROR_ABORTED status is left as it is: written with its reason by whoever stopped the table (a
 * flush of this task, or the apply of an iteration on any task), it stays until the table is
 * started or stopped.
 */
final class PartitionStatusWriter {

    private final ControlTables control;
    private final TableModels models;
    private final TableView view;
    private final TableRegistry tables;
    private final PartitionPositions positions;
    private final PartitionPauses pauses;
    private final IterationHolds holds;
    private final Map<PendingBatch.PartitionKey, TableStatus> knownStatus;

    PartitionStatusWriter(ControlTables control, TableModels models, TableView view, TableRegistry tables,
                          PartitionPositions positions, PartitionPauses pauses, IterationHolds holds,
                          Map<PendingBatch.PartitionKey, TableStatus> knownStatus) {
        this.control = control;
        this.models = models;
        this.view = view;
        this.tables = tables;
        this.positions = positions;
        this.pauses = pauses;
        this.holds = holds;
        this.knownStatus = knownStatus;
    }

    /** Partitions just claimed: a stored ERROR_ABORTED is kept (the table is held with its error); any other is rewritten. */
    void claimed(Connection c, List<TopicPartition> partitions) throws SQLException {
        keepStoredAborted(c, partitions);
    }

    private void keepStoredAborted(Connection c, List<TopicPartition> partitions) throws SQLException {
        control.storedStatuses(c, partitions).forEach((tp, status) -> {
            if (status == TableStatus.ERROR_ABORTED) {
                knownStatus.put(new PendingBatch.PartitionKey(tables.tableOf(tp), tp), status);
            }
        });
    }

    void write(Connection c) throws SQLException {
        refreshAborted(c);
        List<PartitionStatus> changed = new ArrayList<>();
        for (TopicPartition tp : positions.owned()) {
            SourceTable table = tables.tableOf(tp);
            DesiredStates.Accepted accepted = view.accepted(table);
            if (pauses.has(tp, PartitionPauses.Reason.TABLE_STOPPED) && accepted != DesiredStates.Accepted.STOPPED) {
                continue; // its ERROR_ABORTED was written with the reason; an operator's stop makes it STOPPED
            }
            PendingBatch.PartitionKey key = new PendingBatch.PartitionKey(table, tp);
            TableStatus known = knownStatus.get(key);
            if (known == TableStatus.ERROR_RETRIABLE) {
                continue; // the flush path clears it when a flush of the table succeeds
            }
            if (accepted == DesiredStates.Accepted.ABORTED && known == TableStatus.ERROR_ABORTED) {
                continue;
            }
            String reason = null;
            TableStatus status;
            PartitionIterations.Hold hold = holds.of(tp);
            if (accepted == DesiredStates.Accepted.PAUSED) {
                status = TableStatus.PAUSED;
            } else if (accepted == DesiredStates.Accepted.STOPPED) {
                status = TableStatus.STOPPED;
            } else if (accepted == DesiredStates.Accepted.ABORTED) {
                status = TableStatus.STOPPED;
                reason = "held: the table stopped with an error; start it to retry, or stop it";
            } else if (hold != null && hold.waitForApply()) {
                status = TableStatus.WAITING;
                reason = "at marker " + hold.iteration() + ", waiting for the other FULL tables";
            } else if (hold != null) {
                // Held past the final marker; STOPPED once the final iteration is complete (accepted STOPPED).
                status = TableStatus.FINALIZING;
                reason = "passed the final marker; stops when every partition has";
            } else {
                status = view.runningStatus(table);
            }
            if (known != status) { // unknown too: the first poll after a claim writes every partition once
                changed.add(new PartitionStatus(table, models.targetName(table), tp, status, reason));
            }
        }
        if (!changed.isEmpty()) {
            control.setPartitionStatuses(c, changed);
            changed.forEach(s -> knownStatus.put(new PendingBatch.PartitionKey(s.table(), s.partition()), s.status()));
        }
    }

    /**
     * A table another session stopped with an error (the apply of its iteration, on any task) has
     * ERROR_ABORTED with the reason stored for its partitions: this task learns it before it writes.
     */
    private void refreshAborted(Connection c) throws SQLException {
        List<TopicPartition> unsure = positions.owned().stream().filter(tp -> {
            SourceTable table = tables.tableOf(tp);
            return view.accepted(table) == DesiredStates.Accepted.ABORTED
                    && knownStatus.get(new PendingBatch.PartitionKey(table, tp)) != TableStatus.ERROR_ABORTED;
        }).toList();
        if (!unsure.isEmpty()) {
            keepStoredAborted(c, unsure);
        }
    }
}
