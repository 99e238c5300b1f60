package io.tidemark.sink.batch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.sink.iteration.PartitionIterations;
import io.tidemark.sink.offsets.PartitionPositions;

/**
 * The batch the task is filling. When a flush does not apply, what was buffered behind it is
 * dropped too and both come again from the first offset the database lacks: records are never
 * buffered out of order behind a gap.
 */
public final class BatchBuffer {

    private final PartitionPositions positions;
    private final PartitionIterations iterations;
    private PendingBatch current = new PendingBatch();

    public BatchBuffer(PartitionPositions positions, PartitionIterations iterations) {
        this.positions = positions;
        this.iterations = iterations;
    }

    public PendingBatch current() {
        return current;
    }

    /** Takes the batch for a flush; the buffer starts a new one. */
    public PendingBatch take() {
        PendingBatch taken = current;
        current = new PendingBatch();
        return taken;
    }

    /** Keeps the statuses of a batch that was not applied, to be written with the next flush. */
    void keepStatusesOf(PendingBatch unapplied) {
        current.keepStatusesOf(unapplied);
    }

    /**
     * A flush did not apply: drops the batch buffered since as well, and rewinds every partition
     * of both to the first record the database lacks. Their statuses are kept.
     */
    public void dropAndRewind(PendingBatch failed) {
        PendingBatch newer = current;
        current = new PendingBatch();
        current.keepStatusesOf(failed);
        current.keepStatusesOf(newer);
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        for (PendingBatch b : List.of(failed, newer)) {
            for (TopicPartition tp : b.nextOffsets().keySet()) {
                firstOffsets.merge(tp, b.firstOffset(tp), Math::min);
            }
        }
        firstOffsets.forEach(positions::rewindToDatabase);
        iterations.dropped(firstOffsets.keySet()); // markers they passed come again too
    }
}
