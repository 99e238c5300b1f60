package io.tidemark.sink.record;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.common.marker.IterationMarker;

/**
 * Reads Kafka Connect records as changes. Understands Debezium's envelope ({@code before},
 * {@code after}, {@code op} with c/r/u/d/t), tombstones (a delete of the key), already flattened
 * rows (e.g. after {@code ExtractNewRecordState}, with {@code __deleted} honoured) and Tidemark's
 * iteration markers. Anything else is a {@link BadRecordException} naming what is wrong.
 */
public final class ChangeEventReader {

    /** The field ExtractNewRecordState adds with {@code delete.handling.mode=rewrite}. */
    static final String DELETED_FIELD = "__deleted";

    /** Reads one record; a primary-key update yields two changes (delete old key, upsert new row). */
    public List<ChangeEvent> read(SinkRecord record) {
        Object value = record.value();
        if (value instanceof Struct struct && IterationMarker.isMarkerSchema(struct.schema())) {
            return List.of(ChangeEvent.marker(IterationMarker.fromStruct(struct), record));
        }
        if (value == null || !(value instanceof Struct)) {
            Optional<IterationMarker> marker = IterationMarker.fromHeaders(record.headers());
            if (marker.isPresent()) {
                return List.of(ChangeEvent.marker(marker.get(), record));
            }
        }
        if (value == null) {
            return List.of(ChangeEvent.delete(requireKey(record), null, record)); // tombstone
        }
        if (!(value instanceof Struct row)) {
            String shape = record.valueSchema() == null ? " without a Connect schema"
                    : " with schema type " + record.valueSchema().type();
            String kind = value instanceof java.util.Map ? "map" : value.getClass().getSimpleName();
            throw new BadRecordException("the record value is a " + kind + shape
                    + ", not a Struct (a Debezium change event or a row): use a converter with schemas (JsonConverter "
                    + "with value.converter.schemas.enable=true, or Avro/Protobuf with a schema registry)");
        }
        if (isEnvelope(row.schema())) {
            return readEnvelope(record, row);
        }
        if (isDeletedFlag(row)) {
            return List.of(ChangeEvent.delete(requireKey(record), row.schema(), record));
        }
        return List.of(ChangeEvent.upsert(requireKey(record), row, record));
    }

    private List<ChangeEvent> readEnvelope(SinkRecord record, Struct envelope) {
        String op = envelope.getString("op");
        if (op == null) {
            throw new BadRecordException("the Debezium envelope has no 'op'");
        }
        switch (op) {
            case "c", "r" -> {
                return List.of(ChangeEvent.insert(requireKey(record), requireImage(envelope, "after", op), record));
            }
            case "u" -> {
                Struct key = requireKey(record);
                Struct after = requireImage(envelope, "after", op);
                Struct before = envelope.getStruct("before");
                if (before != null && keyChanged(key, before)) {
                    return List.of(ChangeEvent.delete(keyFrom(key.schema(), before), after.schema(), record),
                            ChangeEvent.upsert(key, after, record));
                }
                return List.of(ChangeEvent.upsert(key, after, record));
            }
            case "d" -> {
                return List.of(ChangeEvent.delete(requireKey(record), envelope.schema().field("before").schema(), record));
            }
            case "t" -> {
                return List.of(ChangeEvent.truncate(record));
            }
            default -> throw new BadRecordException("unknown Debezium operation '" + op
                    + "' (expected c, r, u, d or t)");
        }
    }

    /** An envelope has the three fields Debezium always writes; a flattened row could have one by chance. */
    static boolean isEnvelope(Schema schema) {
        return schema.field("op") != null && schema.field("before") != null && schema.field("after") != null
                && schema.field("before").schema().type() == Schema.Type.STRUCT;
    }

    private static boolean isDeletedFlag(Struct row) {
        Field deleted = row.schema().field(DELETED_FIELD);
        if (deleted == null) {
            return false;
        }
        Object flag = row.get(deleted);
        return flag instanceof Boolean b ? b : flag != null && "true".equalsIgnoreCase(flag.toString());
    }

    private static Struct requireKey(SinkRecord record) {
        Object key = record.key();
        if (key == null) {
            throw new BadRecordException("the record has no key, so the table has no primary key to upsert and "
                    + "delete by: give the source table a primary key (or Debezium's message.key.columns)");
        }
        if (!(key instanceof Struct struct)) {
            throw new BadRecordException("the record key is a " + key.getClass().getSimpleName()
                    + ", not a Struct with a schema: use a key converter with schemas");
        }
        if (struct.schema().fields().isEmpty()) {
            throw new BadRecordException("the record key has no fields: the table has no primary key");
        }
        return struct;
    }

    private static Struct requireImage(Struct envelope, String field, String op) {
        Struct image = envelope.getStruct(field);
        if (image == null) {
            throw new BadRecordException("a Debezium '" + op + "' event without '" + field + "'");
        }
        return image;
    }

    private static boolean keyChanged(Struct key, Struct before) {
        for (Field f : key.schema().fields()) {
            Field inBefore = before.schema().field(f.name());
            if (inBefore == null) {
                return false; // a before image without the key columns cannot tell; trust the key
            }
            if (!Objects.deepEquals(normalise(key.get(f)), normalise(before.get(inBefore)))) {
                return true;
            }
        }
        return false;
    }

    private static Object normalise(Object value) {
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        return value;
    }

    private static Struct keyFrom(Schema keySchema, Struct image) {
        Struct key = new Struct(keySchema);
        for (Field f : keySchema.fields()) {
            key.put(f, image.get(f.name()));
        }
        return key;
    }
}
