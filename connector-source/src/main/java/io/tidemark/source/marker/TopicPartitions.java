package io.tidemark.source.marker;

import java.util.Collection;
import java.util.Map;

/** How many partitions each table topic has, creating the topics that do not exist yet. */
public interface TopicPartitions extends AutoCloseable {

    /** Partition count of every given topic; a missing topic is created first. */
    Map<String, Integer> partitionCounts(Collection<String> topics);

    @Override
    void close();
}
