package io.tidemark.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;

/** The benchmark's topics: a workload produced into one, and one read back as converted records. */
final class Topics {

    private Topics() {
    }

    /** Serialises and sends the workload, one thread per partition (JSON with schemas is the slow part). */
    static void produce(ConnectTestCluster cluster, String topic, BenchTable table, Workload workload,
                                BenchConverter converter) throws Exception {
        long start = System.nanoTime();
        cluster.createTopic(topic, workload.partitions);
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        try (KafkaProducer<byte[], byte[]> producer = cluster.connect().kafka().createProducer(props)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int p = 0; p < workload.partitions; p++) {
                int partition = p;
                Thread t = new Thread(() -> {
                    try {
                        DebeziumEvents events = converter.events(topic.substring(topic.lastIndexOf('.') + 1), table);
                        workload.produce(table, events, partition, producer::send);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("producing failed", failures.get(0));
            }
            producer.flush();
        }
        System.out.printf(Locale.ROOT, "  produced %d %s records into %s (%d partitions, %s) in %.1f s%n",
                workload.records(), workload.name, topic, workload.partitions, converter.label(),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * The topic's records converted once, as Connect's worker would (JsonConverter with schemas),
     * in the order the partitions were read.
     */
    static List<SinkRecord> convert(ConnectTestCluster cluster, String topic, int expected) {
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "true"), true);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of("schemas.enable", "true"), false);
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 << 20);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        List<ConsumerRecord<byte[], byte[]>> raw = new ArrayList<>(expected);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            while (raw.size() < expected) {
                consumer.poll(Duration.ofSeconds(1)).forEach(raw::add);
            }
        }
        // Converted on every core, the order kept. The converters cache schemas, so every record
        // shares one Schema object as in a worker: the first record goes alone, to fill the cache
        // before the threads would race to it.
        SinkRecord[] records = new SinkRecord[raw.size()];
        java.util.function.IntConsumer one = i -> {
            ConsumerRecord<byte[], byte[]> r = raw.get(i);
            SchemaAndValue k = keys.toConnectData(topic, r.key());
            SchemaAndValue v = values.toConnectData(topic, r.value());
            records[i] = new SinkRecord(topic, r.partition(), k.schema(), k.value(), v.schema(), v.value(),
                    r.offset(), r.timestamp(), r.timestampType());
        };
        one.accept(0);
        java.util.stream.IntStream.range(1, raw.size()).parallel().forEach(one);
        return new ArrayList<>(Arrays.asList(records));
    }
}
