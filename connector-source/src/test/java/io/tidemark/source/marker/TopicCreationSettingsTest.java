package io.tidemark.source.marker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicCreationSettingsTest {

    @Test
    void withoutSettingsTheBrokerDefaultsApply() {
        NewTopic topic = TopicCreationSettings.from(Map.of()).newTopic("prefix.public.orders");
        assertThat(topic.numPartitions()).isEqualTo(-1);
        assertThat(topic.replicationFactor()).isEqualTo((short) -1);
        assertThat(topic.configs()).isEmpty();
    }

    @Test
    void theFirstMatchingGroupWinsAndInheritsTheDefaultSizes() {
        TopicCreationSettings settings = TopicCreationSettings.from(Map.of(
                "topic.creation.default.partitions", "3",
                "topic.creation.default.replication.factor", "2",
                "topic.creation.default.cleanup.policy", "delete",
                "topic.creation.groups", "big,compacted",
                "topic.creation.big.include", "prefix\\.public\\.big.*",
                "topic.creation.big.exclude", ".*_tmp",
                "topic.creation.big.partitions", "12",
                "topic.creation.compacted.include", "prefix\\..*",
                "topic.creation.compacted.cleanup.policy", "compact"));

        NewTopic big = settings.newTopic("prefix.public.big_orders");
        assertThat(big.numPartitions()).isEqualTo(12);
        assertThat(big.replicationFactor()).isEqualTo((short) 2);

        NewTopic excludedFromBig = settings.newTopic("prefix.public.big_tmp");
        assertThat(excludedFromBig.numPartitions()).isEqualTo(3);
        assertThat(excludedFromBig.configs()).isEqualTo(Map.of("cleanup.policy", "compact"));

        NewTopic other = settings.newTopic("elsewhere.t");
        assertThat(other.numPartitions()).isEqualTo(3);
        assertThat(other.configs()).isEqualTo(Map.of("cleanup.policy", "delete"));
        assertThat(Optional.of(other.replicationFactor())).contains((short) 2);
    }
}
