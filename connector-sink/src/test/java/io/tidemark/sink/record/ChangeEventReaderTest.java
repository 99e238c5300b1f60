package io.tidemark.sink.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.sink.record.ChangeEvent.Kind;
import io.tidemark.testkit.DebeziumEvents;

class ChangeEventReaderTest {

    private static final Schema KEY = SchemaBuilder.struct().field("ID", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().field("ID", Schema.INT32_SCHEMA)
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA).build();
    private final DebeziumEvents events = new DebeziumEvents("s", "HR", "EMP", KEY, ROW);
    private final ChangeEventReader reader = new ChangeEventReader();

    private SinkRecord record(Struct key, Schema valueSchema, Object value) {
        return new SinkRecord("s.HR.EMP", 0, key == null ? null : KEY, key, valueSchema, value, 7);
    }

    private SinkRecord envelope(String op, Struct before, Struct after, Struct key) {
        return record(key, events.envelopeSchema(), events.envelope(op, before, after));
    }

    @Test
    void readsEveryDebeziumOperation() {
        Struct a = events.row("ID", 1, "NAME", "a");
        for (String op : List.of("c", "r")) {
            List<ChangeEvent> changes = reader.read(envelope(op, null, a, events.keyOf(a)));
            assertThat(changes).singleElement().satisfies(c -> {
                assertThat(c.kind()).isEqualTo(Kind.INSERT);
                assertThat(c.row().get("NAME")).isEqualTo("a");
            });
        }
        Struct b = events.row("ID", 1, "NAME", "b");
        assertThat(reader.read(envelope("u", a, b, events.keyOf(b)))).extracting(ChangeEvent::kind).containsExactly(Kind.UPSERT);
        assertThat(reader.read(envelope("d", a, null, events.keyOf(a)))).extracting(ChangeEvent::kind).containsExactly(Kind.DELETE);
        assertThat(reader.read(envelope("t", null, null, null))).extracting(ChangeEvent::kind).containsExactly(Kind.TRUNCATE);
        assertThat(reader.read(record(events.keyOf(a), null, null))).extracting(ChangeEvent::kind).containsExactly(Kind.DELETE);
    }

    @Test
    void primaryKeyChangeIsDeleteOfTheOldKeyThenUpsert() {
        Struct before = events.row("ID", 1, "NAME", "a");
        Struct after = events.row("ID", 2, "NAME", "a");
        List<ChangeEvent> changes = reader.read(envelope("u", before, after, events.keyOf(after)));
        assertThat(changes).extracting(ChangeEvent::kind).containsExactly(Kind.DELETE, Kind.UPSERT);
        assertThat(changes.get(0).key().get("ID")).isEqualTo(1);
        assertThat(changes.get(1).key().get("ID")).isEqualTo(2);
    }

    @Test
    void flattenedRowsAndTheirDeletedFlag() {
        Schema flat = SchemaBuilder.struct().field("ID", Schema.INT32_SCHEMA).field("NAME", Schema.OPTIONAL_STRING_SCHEMA)
                .field("__deleted", Schema.OPTIONAL_STRING_SCHEMA).build();
        Struct key = new Struct(KEY).put("ID", 1);
        assertThat(reader.read(record(key, flat, new Struct(flat).put("ID", 1).put("NAME", "x").put("__deleted", "false"))))
                .extracting(ChangeEvent::kind).containsExactly(Kind.UPSERT);
        assertThat(reader.read(record(key, flat, new Struct(flat).put("ID", 1).put("__deleted", "true"))))
                .extracting(ChangeEvent::kind).containsExactly(Kind.DELETE);
    }

    @Test
    void aMarkerComesOnlyFromTheMarkerSchema() {
        IterationMarker marker = new IterationMarker(4, "99", 5, true);
        ConnectHeaders headers = new ConnectHeaders();
        marker.addTo(headers);
        assertThat(reader.read(new SinkRecord("t", 0, null, null, IterationMarker.VALUE_SCHEMA, marker.toStruct(), 1,
                null, null, headers))).singleElement().satisfies(c -> assertThat(c.marker()).isEqualTo(marker));

        // Any producer can write a tombstone with these headers: it is no marker, and no delete either.
        Struct a = events.row("ID", 1, "NAME", "a");
        for (Struct key : java.util.Arrays.asList(null, events.keyOf(a))) {
            SinkRecord forged = new SinkRecord("s.HR.EMP", 0, key == null ? null : KEY, key, null, null, 1, null, null,
                    headers);
            assertThatThrownBy(() -> reader.read(forged)).isInstanceOf(BadRecordException.class)
                    .hasMessageContaining("tidemark.marker.").hasMessageContaining(IterationMarker.SCHEMA_NAME);
        }
    }

    @Test
    void aPrimaryKeyChangeNamesTheOtherKeyOnBothSides() {
        Struct before = events.row("ID", 1, "NAME", "a");
        Struct after = events.row("ID", 2, "NAME", "a");
        List<ChangeEvent> update = reader.read(envelope("u", before, after, events.keyOf(after)));
        assertThat(update.get(0).otherKey().get("ID")).isEqualTo(2);
        assertThat(update.get(1).otherKey().get("ID")).isEqualTo(1);

        // Debezium's own form: delete with the new key in a header, create with the old key (as JSON gives it).
        ConnectHeaders onDelete = new ConnectHeaders();
        onDelete.add("__debezium.newkey", events.keyOf(after), KEY);
        ConnectHeaders onCreate = new ConnectHeaders();
        onCreate.add("__debezium.oldkey", Map.of("ID", 1L), null);
        SinkRecord delete = envelope("d", before, null, events.keyOf(before));
        SinkRecord create = envelope("c", null, after, events.keyOf(after));
        assertThat(reader.read(delete.newRecord(delete.topic(), 0, KEY, delete.key(), delete.valueSchema(), delete.value(),
                null, onDelete))).singleElement().satisfies(c -> assertThat(c.otherKey().get("ID")).isEqualTo(2));
        assertThat(reader.read(create.newRecord(create.topic(), 0, KEY, create.key(), create.valueSchema(), create.value(),
                null, onCreate))).singleElement().satisfies(c -> {
                    assertThat(c.kind()).isEqualTo(Kind.UPSERT);
                    assertThat(c.otherKey().get("ID")).isEqualTo(1);
                });
    }

    @Test
    void wrongShapesAreRefusedWithWhatWasExpected() {
        Struct a = events.row("ID", 1, "NAME", "a");
        assertThatThrownBy(() -> reader.read(record(events.keyOf(a), null, Map.of("ID", 1))))
                .isInstanceOf(BadRecordException.class).hasMessageContaining("value is a map without a Connect schema")
                .hasMessageContaining("schemas.enable=true");
        assertThatThrownBy(() -> reader.read(envelope("x", null, a, events.keyOf(a))))
                .hasMessageContaining("unknown Debezium operation 'x'");
        assertThatThrownBy(() -> reader.read(envelope("c", null, a, null)))
                .hasMessageContaining("no key").hasMessageContaining("primary key");
        assertThatThrownBy(() -> reader.read(envelope("c", null, null, events.keyOf(a))))
                .hasMessageContaining("'c' event without 'after'");
        assertThatThrownBy(() -> reader.read(new SinkRecord("t", 0, Schema.STRING_SCHEMA, "k", events.envelopeSchema(),
                events.envelope("c", null, a), 1))).hasMessageContaining("key is a String, not a Struct");
    }
}
