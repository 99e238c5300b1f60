package io.tidemark.source.marker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import io.tidemark.common.marker.IterationMarker;

class MarkerFanOutTest {

    private static final String STREAM = "shop";
    private static final MarkerTables TABLES = new MarkerTables("tidemark", "tidemark_iteration", "tidemark_iteration_seq",
            "tidemark_iteration_request");
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema MARKER_ROW = SchemaBuilder.struct()
            .field("iteration", Schema.INT64_SCHEMA).field("stream_name", Schema.STRING_SCHEMA)
            .field("is_final", Schema.BOOLEAN_SCHEMA).field("reason", Schema.STRING_SCHEMA)
            .field("created_ts_ms", Schema.INT64_SCHEMA).build();
    private static final Schema ORDER_ROW = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();

    private static Schema envelope(Schema row) {
        return SchemaBuilder.struct().name("shop.Envelope")
                .field("before", SchemaBuilder.struct().optional().build())
                .field("after", row).field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();
    }

    private static final Map<String, ?> PARTITION = Map.of("server", STREAM);

    private static SourceRecord event(String table, String op, Schema rowSchema, Struct row, long lsn) {
        Schema envelope = envelope(rowSchema);
        Struct source = new Struct(SOURCE).put("schema", table.equals("tidemark_iteration") ? "tidemark" : "public")
                .put("table", table).put("lsn", lsn);
        Struct value = new Struct(envelope).put("after", row).put("source", source).put("op", op);
        return new SourceRecord(PARTITION, Map.of("lsn", lsn), STREAM + "." + source.getString("schema") + "." + table,
                null, null, null, envelope, value);
    }

    private static SourceRecord order(int id, long lsn) {
        return event("orders", "c", ORDER_ROW, new Struct(ORDER_ROW).put("id", id), lsn);
    }

    private static SourceRecord markerRow(String op, long iteration, String stream, boolean isFinal, long lsn) {
        Struct row = new Struct(MARKER_ROW).put("iteration", iteration).put("stream_name", stream)
                .put("is_final", isFinal).put("reason", "INTERVAL").put("created_ts_ms", 1_700_000_000_000L + iteration);
        return event("tidemark_iteration", op, MARKER_ROW, row, lsn);
    }

    private final List<Collection<String>> asked = new ArrayList<>();
    private final TopicPartitions partitions = new TopicPartitions() {
        @Override
        public Map<String, Integer> partitionCounts(Collection<String> topics) {
            asked.add(topics);
            return Map.of("shop.public.orders", 3, "shop.public.items", 2);
        }

        @Override
        public void close() {
        }
    };

    private final MarkerFanOut fanOut = new MarkerFanOut(new MarkerEventRecognizer(TABLES, new PostgresMarkerDialect(), STREAM),
            () -> List.of("shop.public.orders", "shop.public.items"), partitions);

    @Test
    void aBatchWithoutMarkerTableEventsPassesThroughUntouched() {
        List<SourceRecord> batch = List.of(order(1, 10), order(2, 11));
        assertThat(fanOut.process(batch)).isSameAs(batch);
        assertThat(asked).isEmpty();
    }

    @Test
    void theMarkerRowEventIsReplacedInPlaceByOneMarkerPerPartition() {
        SourceRecord before = order(1, 10);
        SourceRecord marker = markerRow("c", 4, STREAM, false, 20);
        SourceRecord after = order(2, 30);

        List<SourceRecord> out = fanOut.process(List.of(before, marker, after));

        assertThat(out).hasSize(1 + 5 + 1);
        assertThat(out.get(0)).isSameAs(before);
        assertThat(out.get(6)).isSameAs(after);
        List<SourceRecord> markers = out.subList(1, 6);
        assertThat(markers).extracting(r -> r.topic() + "/" + r.kafkaPartition()).containsExactly(
                "shop.public.items/0", "shop.public.items/1",
                "shop.public.orders/0", "shop.public.orders/1", "shop.public.orders/2");
        for (SourceRecord m : markers) {
            assertThat(m.key()).isNull();
            assertThat(m.sourcePartition()).isEqualTo(marker.sourcePartition());
            assertThat(m.sourceOffset()).isEqualTo(marker.sourceOffset());
            assertThat(m.valueSchema().name()).isEqualTo(IterationMarker.SCHEMA_NAME);
            IterationMarker value = IterationMarker.fromStruct((Struct) m.value());
            int partitionsOfTopic = m.topic().endsWith("items") ? 2 : 3;
            assertThat(value).as("each marker says how many partitions of its topic got one")
                    .isEqualTo(new IterationMarker(4, "20", 1_700_000_000_004L, false, partitionsOfTopic));
            assertThat(IterationMarker.fromHeaders(m.headers())).contains(value);
        }
        assertThat(asked).singleElement().satisfies(topics ->
                assertThat(topics).containsExactly("shop.public.items", "shop.public.orders"));
    }

    @Test
    void onlyInsertsOfThisStreamAreBoundaries() {
        SourceRecord snapshotRead = markerRow("r", 1, STREAM, false, 5);
        SourceRecord update = markerRow("u", 2, STREAM, false, 6);
        SourceRecord otherStream = markerRow("c", 3, "warehouse", false, 7);
        SourceRecord tombstone = new SourceRecord(PARTITION, Map.of("lsn", 8L), "shop.tidemark.tidemark_iteration",
                null, null, null, null, null);
        SourceRecord data = order(1, 9);

        assertThat(fanOut.process(List.of(snapshotRead, update, otherStream, tombstone, data))).containsExactly(data);
        assertThat(asked).isEmpty();
    }

    @Test
    void aMarkerIdNotAboveTheLastEmittedOneIsDropped() {
        fanOut.process(List.of(markerRow("c", 5, STREAM, false, 10)));
        List<SourceRecord> replay = fanOut.process(List.of(markerRow("c", 5, STREAM, false, 10), order(1, 11)));
        assertThat(replay).extracting(SourceRecord::topic).containsExactly("shop.public.orders");
        assertThat(fanOut.process(List.of(markerRow("c", 6, STREAM, true, 12)))).hasSize(5)
                .allSatisfy(r -> assertThat(((Struct) r.value()).getBoolean("final")).isTrue());
    }
}
