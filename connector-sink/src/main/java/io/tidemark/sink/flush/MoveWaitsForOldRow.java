package io.tidemark.sink.flush;

import java.sql.SQLTransientException;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * A flush rolled back because records move rows to new primary keys whose old rows have not
 * arrived yet (their partitions are behind, perhaps in another task). Only the waiting records'
 * partitions, from the first waiting record on, need to wait: the rest of the batch can go on, and
 * may well carry the old row another task's move waits for.
 */
public final class MoveWaitsForOldRow extends SQLTransientException {

    private final transient Map<TopicPartition, Long> waiting;

    public MoveWaitsForOldRow(String message, Map<TopicPartition, Long> waiting) {
        super(message);
        this.waiting = Map.copyOf(waiting);
    }

    /** The first waiting record's offset per partition. */
    public Map<TopicPartition, Long> waiting() {
        return waiting;
    }
}
