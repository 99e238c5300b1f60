package io.tidemark.control.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.avro.AvroConverters;

/**
 * The keys of iterations N+1..M read back from a table topic on a real (embedded) Kafka broker, between
 * the markers' offsets as the ledger records them: JSON keys with schemas, and Avro keys as Apicurio's
 * converter writes them (an in-memory stand-in for the schema registry, as every Avro test here uses).
 */
class TopicKeysTest {

    private static ConnectTestCluster kafka;

    @BeforeAll
    static void start() {
        kafka = ConnectTestCluster.builder("topic-keys").pluginPath(null).start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static final Schema ID = SchemaBuilder.struct().name("tk.Key").field("id", Schema.INT32_SCHEMA).build();

    @Test
    void readsTheKeysBetweenMarkerNAndMarkerMInEachPartitionAndNoOthers() {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of(), true);
        String topic = "tk.public.acct";
        kafka.createTopic(topic, 2);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        // partition 0: 1, 2, marker 1 (offset 2), 3, 4, 3, marker 2 (offset 6), 5
        for (Object k : new Object[] {1, 2, "m1", 3, 4, 3, "m2", 5}) {
            records.add(record(json, topic, 0, k));
        }
        // partition 1: 10, marker 1 (offset 1), 11, marker 2 (offset 3), 12
        for (Object k : new Object[] {10, "m1", 11, "m2", 12}) {
            records.add(record(json, topic, 1, k));
        }
        kafka.send(records);
        try (TopicKeys keys = new TopicKeys(kafkaSettings(), Map.of("key.converter", JsonConverter.class.getName()))) {
            TopicKeys.Collected between = keys.read(topic, Map.of(0, 2L, 1, 1L), Map.of(0, 6L, 1, 3L), List.of("ID"));
            assertThat(between.keys()).containsExactlyInAnyOrder(List.of("3"), List.of("4"), List.of("11"));
            assertThat(between.records()).isEqualTo(4);

            TopicKeys.Collected toTheEnd = keys.read(topic, Map.of(0, 2L, 1, 1L), Map.of(), List.of("id"));
            assertThat(toTheEnd.keys()).containsExactlyInAnyOrder(List.of("3"), List.of("4"), List.of("5"),
                    List.of("11"), List.of("12"));

            TopicKeys.Collected noMarkerN = keys.read(topic, Map.of(0, 2L), Map.of(0, 6L, 1, 3L), List.of("id"));
            assertThat(noMarkerN.keys()).containsExactlyInAnyOrder(List.of("3"), List.of("4"), List.of("10"),
                    List.of("11"));
        }
    }

    @Test
    void readsAvroKeysWithTheSinksConverterSettings() {
        Converter avro = AvroConverters.converter(true);
        Schema key = SchemaBuilder.struct().name("tk.avro.Key").field("REGION", Schema.STRING_SCHEMA)
                .field("ORDER_NO", Decimal.schema(2)).build();
        String topic = "tk.avro.orders";
        kafka.createTopic(topic, 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(new ProducerRecord<>(topic, 0, avro.fromConnectData(topic, key, new Struct(key).put("REGION", "EU")
                .put("ORDER_NO", new BigDecimal("1.00"))), new byte[0]));
        records.add(record(avro, topic, 0, "m4"));
        records.add(new ProducerRecord<>(topic, 0, avro.fromConnectData(topic, key, new Struct(key).put("REGION", "US")
                .put("ORDER_NO", new BigDecimal("777.50"))), new byte[0]));
        kafka.send(records);
        Map<String, String> sink = new HashMap<>(AvroConverters.connectorConfig());
        try (TopicKeys keys = new TopicKeys(kafkaSettings(), sink)) {
            assertThat(keys.read(topic, Map.of(0, 1L), Map.of(), List.of("order_no", "region")).keys())
                    .containsExactly(List.of("777.50", "US"));
        }
    }

    /** A change with key {@code id}, or (a text) a marker: null key, the marker's header. */
    private static ProducerRecord<byte[], byte[]> record(Converter c, String topic, int partition, Object k) {
        if (k instanceof String marker) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition, null,
                    marker.getBytes(StandardCharsets.UTF_8));
            r.headers().add(IterationMarker.HEADER_ITERATION, marker.substring(1).getBytes(StandardCharsets.UTF_8));
            return r;
        }
        return new ProducerRecord<>(topic, partition, c.fromConnectData(topic, ID, new Struct(ID).put("id", k)),
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> kafkaSettings() {
        return Map.of("bootstrap.servers", kafka.bootstrapServers());
    }
}
