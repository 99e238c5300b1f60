package io.tidemark.sink.batch;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/** Where a record sits in Kafka as the consumer sees it, whatever SMTs did to its topic. */
public final class Offsets {

    private Offsets() {
    }

    public static TopicPartition partitionOf(SinkRecord record) {
        return new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
    }
}
