package io.tidemark.control.status;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The lag of each table in records: the end of its topic's partitions less the offsets the sink
 * has applied (which it keeps in PostgreSQL, together with the rows). Needs the project's Kafka
 * settings; one admin client per project, made when first needed.
 */
public final class KafkaLag implements AutoCloseable {

    private final Map<String, Object> props;
    private Admin admin;

    public KafkaLag(Map<String, String> kafka) {
        this.props = new HashMap<>(kafka);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "tidemark-control-api");
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    }

    /**
     * @param applied topic → partition → next offset to apply (null: nothing applied yet)
     * @return topic → records not yet applied
     */
    public synchronized Map<String, Long> lag(Set<String> topics, Map<String, Map<Integer, Long>> applied) throws Exception {
        if (admin == null) {
            admin = Admin.create(props);
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((topic, d) ->
                d.partitions().forEach(p -> {
                    latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                    earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
                }));
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, i) -> end.put(tp, i.offset()));
        Map<TopicPartition, Long> start = new HashMap<>();
        admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS).forEach((tp, i) -> start.put(tp, i.offset()));
        Map<String, Long> result = new HashMap<>();
        end.forEach((tp, e) -> {
            Long next = applied.getOrDefault(tp.topic(), Map.of()).get(tp.partition());
            long from = next == null ? start.get(tp) : next;
            result.merge(tp.topic(), Math.max(0, e - from), Long::sum);
        });
        return result;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
