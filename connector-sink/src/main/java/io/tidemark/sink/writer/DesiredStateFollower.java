package io.tidemark.sink.writer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.batch.ApplyCounts;
import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.control.DesiredStates;
import io.tidemark.sink.control.TableView;
import io.tidemark.sink.iteration.FullAborts;
import io.tidemark.sink.iteration.StageDirectory;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.PartitionPositions;
import io.tidemark.sink.schema.TableModels;

/**
 * The operator's requests, as the task follows them: accepts or refuses pending requests (any task
 * may), drains the stage of a FULL table that became PARTIAL in the same transaction, reads each
 * table's accepted state and mode, pauses and resumes partitions as the accepted states say, and
 * retries a table this task stopped for an error once an operator starts it again.
 */
final class DesiredStateFollower {

    private static final Logger LOG = LoggerFactory.getLogger(DesiredStateFollower.class);

    private final String connector;
    private final DesiredStates desiredStates;
    private final StageDirectory stages;
    private final TableView view;
    private final TableModels models;
    private final TableRegistry tables;
    private final PartitionPositions positions;
    private final PartitionPauses pauses;
    private final TableStops stops;
    private final FullAborts aborts;
    /** Tables stopped by an error in this task, with the start count then: a start retries them. */
    private final Map<SourceTable, Long> errorStops = new HashMap<>();

    DesiredStateFollower(String connector, DesiredStates desiredStates, StageDirectory stages, TableView view,
                         TableModels models, TableRegistry tables, PartitionPositions positions, PartitionPauses pauses,
                         TableStops stops, FullAborts aborts) {
        this.connector = connector;
        this.desiredStates = desiredStates;
        this.stages = stages;
        this.view = view;
        this.models = models;
        this.tables = tables;
        this.positions = positions;
        this.pauses = pauses;
        this.stops = stops;
        this.aborts = aborts;
    }

    /**
     * Accepts or refuses the pending requests. A FULL table that becomes PARTIAL has what it staged
     * applied in the same transaction, once no flush stages into it any more: nothing stays behind
     * in a stage that no iteration will apply. The caller commits.
     */
    void processRequests(Connection c) throws SQLException {
        for (String decision : desiredStates.processRequests(c)) {
            LOG.info("{}: {}", connector, decision);
        }
        for (DesiredStates.ModeChange change : desiredStates.acceptedModeChanges()) {
            if (change.from() == ConsistencyMode.FULL && change.to() == ConsistencyMode.PARTIAL) {
                SourceTable table = SourceTable.fromTopic(change.sourceTable());
                ApplyCounts counts = stages.drain(c, table.qualified(), models.target(table));
                LOG.info("{}: {} became PARTIAL: its staged changes were applied ({} upserted, {} deleted)", connector,
                        table, counts.upserted(), counts.deleted());
            }
        }
    }

    /** Reads each table's accepted state and mode into the task's view. */
    void refreshView(Connection c) throws SQLException {
        desiredStates.read(c).forEach((name, row) -> view.update(SourceTable.fromTopic(name), row));
    }

    /** Pauses and resumes the partitions as their tables' accepted states say; retries tables started again. */
    void follow(Collection<TopicPartition> partitions) {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            DesiredStates.TableControl c = view.control(tables.tableOf(tp));
            if (c != null) {
                (c.accepted().holds() ? pause : resume).add(tp);
            }
        }
        pauses.pause(pause, PartitionPauses.Reason.DESIRED);
        pauses.resume(resume, PartitionPauses.Reason.DESIRED);
        for (SourceTable table : stops.stopped()) {
            DesiredStates.TableControl c = view.control(table);
            Long stoppedAt = errorStops.get(table);
            if (c != null && stoppedAt != null && c.startCount() > stoppedAt) {
                retry(table);
            }
        }
    }

    /**
     * The task stopped the table for an error: the table counts as stopped for every task (written
     * at once, in the caller's transaction); a later start retries it.
     */
    void stoppedForError(Connection c, SourceTable table, String reason) throws SQLException {
        errorStops.putIfAbsent(table, desiredStates.stoppedForError(c, table.qualified(), reason));
    }

    /** The stop could not be recorded: a start after the one known counts as a retry all the same. */
    void stoppedForErrorUnrecorded(SourceTable table) {
        DesiredStates.TableControl known = view.control(table);
        errorStops.putIfAbsent(table, known == null ? 0 : known.startCount());
    }

    private void retry(SourceTable table) {
        errorStops.remove(table);
        stops.clear(table);
        aborts.cancel(table); // not dropped yet: its staged rows and stored offsets agree, it goes on from there
        List<TopicPartition> partitions = tables.partitionsOf(table, positions.owned());
        partitions.forEach(tp -> positions.rewindToDatabase(tp, null));
        pauses.resume(partitions, PartitionPauses.Reason.TABLE_STOPPED);
        LOG.info("{}: table {} started again after it stopped with an error: its partitions {} go on from the offsets "
                + "PostgreSQL holds", connector, table, partitions);
    }
}
