package io.tidemark.control.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.errors.DataException;

import io.tidemark.common.marker.IterationMarker;

/**
 * The keys a table's changes carried between two markers, read back from its topic. The sink keeps
 * no keys per iteration, but the ledger keeps each marker's offset in each partition
 * ({@code iteration_partition}): the changes of iterations N+1..M in a partition are the records after
 * marker N's offset and before marker M's. Only the keys are converted, with the sink's own key
 * converter ({@link KeyConverter}), so JSON and Avro keys read as the sink reads them.
 */
public final class TopicKeys implements AutoCloseable {

    /** How long one read may take before it gives up (a broker that does not answer). */
    private static final Duration READ_LIMIT = Duration.ofSeconds(120);

    /** The keys found (each as its columns' values, as text, in the order asked), and how many records held them. */
    public record Collected(Set<List<String>> keys, long records, List<String> notes) {
    }

    private final Map<String, Object> props;
    private final KeyConverter converter;
    private KafkaConsumer<byte[], byte[]> consumer;

    /**
     * @param kafka      the project's Kafka client settings ({@code bootstrap.servers} and security)
     * @param sinkConfig the sink connector's configuration: its {@code key.converter} and settings
     */
    public TopicKeys(Map<String, String> kafka, Map<String, String> sinkConfig) {
        this.props = new HashMap<>(kafka);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "tidemark-verify-keys");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        // A transactional topic ends with a commit marker the consumer passes only on a further fetch, which the
        // broker holds up to this long when nothing follows: 500 ms by default, per table read to its end.
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned, never a member of a group
        this.converter = KeyConverter.of(sinkConfig);
    }

    /**
     * Reads the keys of the records in every partition of {@code topic} after marker N and before marker M.
     *
     * @param afterMarker  partition → marker N's offset; a partition without one is read from its start
     * @param beforeMarker partition → marker M's offset; a partition without one is read to its end as it is now
     * @param keyFields    the key's columns as the source names them (the key's field names), in the order wanted
     * @throws DataException when a key cannot be read as values of these fields
     */
    public Collected read(String topic, Map<Integer, Long> afterMarker, Map<Integer, Long> beforeMarker,
                          List<String> keyFields) {
        KafkaConsumer<byte[], byte[]> c = consumer();
        List<TopicPartition> partitions = new ArrayList<>();
        List<PartitionInfo> infos = c.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new DataException("the topic " + topic + " does not exist (or this client may not describe it)");
        }
        infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        Map<TopicPartition, Long> until = new HashMap<>();
        List<String> notes = new ArrayList<>();
        c.assign(partitions);
        c.resume(partitions); // a partition paused by an earlier read stays paused across assign
        for (TopicPartition tp : partitions) {
            Long after = afterMarker.get(tp.partition());
            long from = after == null ? begin.get(tp) : after + 1;
            if (after != null && from < begin.get(tp)) {
                notes.add("partition " + tp.partition() + " no longer holds offsets " + from + ".." + begin.get(tp)
                        + " (retention): their keys are not known");
                from = begin.get(tp);
            }
            Long before = beforeMarker.get(tp.partition());
            long to = Math.min(before == null ? end.get(tp) : before, end.get(tp));
            if (from < to) {
                c.seek(tp, from);
                until.put(tp, to);
            }
        }
        c.pause(partitions.stream().filter(tp -> !until.containsKey(tp)).toList());
        Set<List<String>> keys = new LinkedHashSet<>();
        long records = 0;
        long deadline = System.nanoTime() + READ_LIMIT.toNanos();
        while (!until.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new DataException("the keys of " + topic + " were not read within " + READ_LIMIT.toSeconds()
                        + " s (partitions left: " + until.keySet() + ")");
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                Long to = until.get(new TopicPartition(r.topic(), r.partition()));
                if (to == null || r.offset() >= to || r.key() == null
                        || r.headers().lastHeader(IterationMarker.HEADER_ITERATION) != null) {
                    continue;
                }
                records++;
                keys.add(converter.values(topic, r.key(), keyFields));
            }
            for (TopicPartition tp : List.copyOf(until.keySet())) {
                if (c.position(tp) >= until.get(tp)) {
                    until.remove(tp);
                    c.pause(List.of(tp));
                }
            }
        }
        return new Collected(keys, records, notes);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(props);
        }
        return consumer;
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }
}
