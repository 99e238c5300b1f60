package io.tidemark.sink.writer;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * What the writer asks of the consumer that feeds it: move back to an offset, pause or resume
 * partitions, come back within a time. The task implements it with Connect's
 * {@code SinkTaskContext}; tests record the calls.
 */
public interface ConsumerControl {

    /** Deliver the partitions again from these offsets. */
    void rewind(Map<TopicPartition, Long> offsets);

    void pause(Collection<TopicPartition> partitions);

    void resume(Collection<TopicPartition> partitions);

    /** Call {@code put} again within this time, even if no record arrives. */
    void wakeUpWithin(long millis);
}
