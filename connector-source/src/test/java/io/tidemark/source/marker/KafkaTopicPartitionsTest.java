package io.tidemark.source.marker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class KafkaTopicPartitionsTest {

    private final MockAdminClient admin = MockAdminClient.create().numBrokers(1).defaultPartitions((short) 1).build();

    private void addTopic(String name, int partitions) {
        Node broker = admin.brokers().get(0);
        List<TopicPartitionInfo> infos = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartitionInfo(p, broker, List.of(broker), List.of(broker))).toList();
        admin.addTopic(false, name, infos, Map.of());
    }

    @Test
    void countsPartitionsAndCreatesMissingTopicsAsTopicCreationSays() {
        addTopic("shop.public.orders", 3);
        TopicCreationSettings creation = TopicCreationSettings.from(Map.of(
                "topic.creation.default.partitions", "4", "topic.creation.default.replication.factor", "1"));
        try (KafkaTopicPartitions partitions = new KafkaTopicPartitions(() -> admin, creation)) {
            assertThat(partitions.partitionCounts(List.of("shop.public.orders", "shop.public.empty")))
                    .isEqualTo(Map.of("shop.public.orders", 3, "shop.public.empty", 4));
            // Asked again for every marker: a topic that grew gets the marker in its new partitions too.
            addTopic("shop.public.items", 2);
            assertThat(partitions.partitionCounts(List.of("shop.public.items"))).isEqualTo(Map.of("shop.public.items", 2));
        }
    }
}
