package io.tidemark.sink.iteration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.flush.ControlConnection;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.sink.offsets.PartitionPositions;
import io.tidemark.sink.writer.PartitionPauses;

/**
 * A FULL table of this task stopped with an error: what its partitions staged for iterations not
 * yet applied is dropped, and each partition goes back to the first change its target lacks — the
 * one after the marker before its first staged iteration — in the database and in the consumer, in
 * one transaction: never the one without the other. Nothing is lost; the other FULL tables go on
 * without it, and started again it is delivered again from there.
 *
 * <p>An abort is a write like a flush: only for partitions the task still owns (their rows locked
 * under the epochs it claimed, so a successor's staged rows are never touched), and under the
 * iteration lock, never in the middle of an iteration being applied. While another session holds
 * that lock the abort waits for a later poll (the task's thread never blocks on it); meanwhile the
 * staged rows and the stored offsets still agree, and the partitions stay paused.
 */
public final class FullAborts {

    private static final Logger LOG = LoggerFactory.getLogger(FullAborts.class);

    private final String connector;
    private final CompletionLedger lock;
    private final StageDirectory stages;
    private final IterationLedger ledger;
    private final OffsetStore offsets;
    private final PartitionPositions positions;
    private final PartitionIterations iterations;
    private final PartitionPauses pauses;
    /** Aborts not run yet, per table: the partitions to take back. */
    private final Map<SourceTable, Set<TopicPartition>> pending = new LinkedHashMap<>();

    public FullAborts(String connector, CompletionLedger lock, StageDirectory stages, IterationLedger ledger,
               OffsetStore offsets, PartitionPositions positions, PartitionIterations iterations, PartitionPauses pauses) {
        this.connector = connector;
        this.lock = lock;
        this.stages = stages;
        this.ledger = ledger;
        this.offsets = offsets;
        this.positions = positions;
        this.iterations = iterations;
        this.pauses = pauses;
    }

    public void request(SourceTable table, Collection<TopicPartition> partitions) {
        pending.computeIfAbsent(table, k -> new HashSet<>()).addAll(partitions);
    }

    /** The table was started again before its abort ran: its staged rows and stored offsets agree; nothing to do. */
    public void cancel(SourceTable table) {
        pending.remove(table);
    }

    public void revoked(Collection<TopicPartition> partitions) {
        pending.values().forEach(set -> set.removeAll(partitions));
        pending.values().removeIf(Set::isEmpty);
    }

    /** Runs the pending aborts the iteration lock lets run now, each in a transaction of its own. */
    public void runPending(ControlConnection control) {
        for (SourceTable table : List.copyOf(pending.keySet())) {
            try {
                Connection c = control.get();
                if (!run(c, table, pending.get(table))) {
                    return; // an iteration is being applied: the next poll tries again
                }
                pending.remove(table);
            } catch (SQLException e) {
                control.rollbackAndAbandon();
                LOG.warn("{}: could not yet take back what FULL table {} staged ({}); its partitions stay paused and "
                        + "it is tried again at the next poll", connector, table, SqlErrors.describe(e));
                return;
            }
        }
    }

    /** @return false when the iteration lock is taken: nothing was done */
    private boolean run(Connection c, SourceTable table, Set<TopicPartition> partitions) throws SQLException {
        if (!lock.tryLock(c)) {
            c.rollback();
            return false;
        }
        Map<TopicPartition, Long> epochs = positions.epochs(partitions);
        List<TopicPartition> owned = offsets.lockOwned(c, epochs);
        Set<TopicPartition> lost = new HashSet<>(partitions);
        owned.forEach(lost::remove);
        String stage = stages.stageOf(c, table.qualified());
        Map<TopicPartition, Long> restart = new HashMap<>();
        Map<TopicPartition, Long> markers = new HashMap<>();
        for (TopicPartition tp : owned) {
            Long first = stage == null ? null : DurableStage.firstStagedIteration(c, stage, tp.partition());
            if (first == null) {
                continue; // nothing staged: the stored offset is where its target is
            }
            Long markerOffset = ledger.markerOffset(c, tp, first - 1);
            if (markerOffset == null) {
                LOG.error("{}: {} has changes staged for iteration {} but the ledger has no marker {} for it; they stay "
                        + "staged (and are applied when the table rejoins)", connector, tp, first, first - 1);
                continue;
            }
            DurableStage.dropPartition(c, stage, tp.partition());
            ledger.forgetMarkersFrom(c, tp, first);
            restart.put(tp, markerOffset + 1);
            markers.put(tp, first - 1);
        }
        List<TopicPartition> notSaved = offsets.save(c, restart, epochs);
        if (!notSaved.isEmpty()) { // cannot happen with the rows locked; if it does, nothing of it stays
            c.rollback();
            lost.addAll(notSaved);
            restart.clear();
            markers.clear();
        } else {
            c.commit();
        }
        if (!lost.isEmpty()) {
            LOG.error("{}: partitions {} of FULL table {} were taken over by another task; their staged changes are "
                    + "left to it, and this task applies nothing more of them", connector, lost, table);
            positions.fence(lost);
            pauses.pause(lost, PartitionPauses.Reason.FENCED);
        }
        positions.committed(restart);
        restart.forEach(positions::rewind);
        markers.forEach(iterations::rewoundTo);
        if (!restart.isEmpty()) {
            LOG.warn("{}: FULL table {} stopped: the changes its partitions staged for iterations not yet applied were "
                    + "dropped, and they start again from the first change their target lacks, {}, when the table is "
                    + "started", connector, table, restart);
        }
        return true;
    }
}
