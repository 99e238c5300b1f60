package io.tidemark.sink.writer;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * What the writer asks of the consumer that feeds it: move back to an offset, pause or resume
 * partitions, come back within a time, how far behind it is. The task implements it with Connect's
 * {@code SinkTaskContext} and the consumer's metrics; tests record the calls.
 */
public interface ConsumerControl {

    /** {@link #lag}'s answer when the consumer's lag cannot be read. */
    long UNKNOWN_LAG = -1;

    /** Deliver the partitions again from these offsets. */
    void rewind(Map<TopicPartition, Long> offsets);

    void pause(Collection<TopicPartition> partitions);

    void resume(Collection<TopicPartition> partitions);

    /** Call {@code put} again within this time, even if no record arrives. */
    void wakeUpWithin(long millis);

    /**
     * Whether records wait in these partitions beyond what the consumer has delivered, as of its
     * last fetch of each: 0 when none does, a positive number (a partition's lag) when one does,
     * {@link #UNKNOWN_LAG} when the consumer's lag cannot be read.
     */
    default long lag(Collection<TopicPartition> partitions) {
        return UNKNOWN_LAG;
    }
}
