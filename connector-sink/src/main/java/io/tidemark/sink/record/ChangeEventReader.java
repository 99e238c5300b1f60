package io.tidemark.sink.record;

import java.util.List;
import java.util.Objects;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.common.marker.IterationMarker;

/**
 * Reads Kafka Connect records as changes. Understands Debezium's envelope ({@code before},
 * {@code after}, {@code op} with c/r/u/d/t), tombstones (a delete of the key), already flattened
 * rows (e.g. after {@code ExtractNewRecordState}, with {@code __deleted} honoured) and Tidemark's
 * iteration markers, recognised by their value's schema only. Anything else is a
 * {@link BadRecordException} naming what is wrong.
 */
public final class ChangeEventReader {

    /** The field ExtractNewRecordState adds with {@code delete.handling.mode=rewrite}. */
    static final String DELETED_FIELD = "__deleted";
    /** Debezium's headers on the delete and the create it writes for a primary-key update. */
    static final String NEW_KEY_HEADER = "__debezium.newkey";
    static final String OLD_KEY_HEADER = "__debezium.oldkey";

    private Schema lastSchema;
    private boolean lastIsEnvelope;

    /** Reads one record; a primary-key update yields two changes (delete old key, upsert new row). */
    public List<ChangeEvent> read(SinkRecord record) {
        Object value = record.value();
        if (value instanceof Struct struct && IterationMarker.isMarkerSchema(struct.schema())) {
            return List.of(ChangeEvent.marker(IterationMarker.fromStruct(struct), record));
        }
        if (!(value instanceof Struct) && hasMarkerHeaders(record)) {
            // Any producer that can write to the topic can add headers; only the source writes the schema.
            throw new BadRecordException("the record carries " + IterationMarker.HEADER_PREFIX + "* headers but its"
                    + " value is not an iteration marker (schema " + IterationMarker.SCHEMA_NAME + "): markers are"
                    + " taken only from the marker schema. Another producer writes to the table topics (restrict"
                    + " them with Kafka ACLs: docs/sink.md, Topic ACLs), or a converter or SMT dropped the value");
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
        if (isEnvelopeCached(row.schema())) {
            return readEnvelope(record, row);
        }
        if (isDeletedFlag(row)) {
            return List.of(ChangeEvent.delete(requireKey(record), row.schema(), record));
        }
        return List.of(ChangeEvent.upsert(requireKey(record), row, record));
    }

    private static boolean hasMarkerHeaders(SinkRecord record) {
        for (Header h : record.headers()) {
            if (h.key().startsWith(IterationMarker.HEADER_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    private List<ChangeEvent> readEnvelope(SinkRecord record, Struct envelope) {
        String op = envelope.getString("op");
        if (op == null) {
            throw new BadRecordException("the Debezium envelope has no 'op'");
        }
        switch (op) {
            case "c", "r" -> {
                ChangeEvent insert = ChangeEvent.insert(requireKey(record), requireImage(envelope, "after", op), record);
                Struct oldKey = keyHeader(record, OLD_KEY_HEADER);
                return List.of(oldKey == null ? insert : insert.movedWith(oldKey));
            }
            case "u" -> {
                Struct key = requireKey(record);
                Struct after = requireImage(envelope, "after", op);
                Struct before = envelope.getStruct("before");
                if (before != null && keyChanged(key, before)) {
                    Struct oldKey = keyFrom(key.schema(), before);
                    return List.of(ChangeEvent.delete(oldKey, after.schema(), record).movedWith(key),
                            ChangeEvent.upsert(key, after, record).movedWith(oldKey));
                }
                return List.of(ChangeEvent.upsert(key, after, record));
            }
            case "d" -> {
                ChangeEvent delete = ChangeEvent.delete(requireKey(record), envelope.schema().field("before").schema(),
                        record);
                Struct newKey = keyHeader(record, NEW_KEY_HEADER);
                return List.of(newKey == null ? delete : delete.movedWith(newKey));
            }
            case "t" -> {
                return List.of(ChangeEvent.truncate(record));
            }
            default -> throw new BadRecordException("unknown Debezium operation '" + op
                    + "' (expected c, r, u, d or t)");
        }
    }

    /** {@link #isEnvelope}, remembered for the last schema: a converter hands out one schema object per version. */
    private boolean isEnvelopeCached(Schema schema) {
        if (schema != lastSchema) {
            lastIsEnvelope = isEnvelope(schema);
            lastSchema = schema;
        }
        return lastIsEnvelope;
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

    /**
     * The key Debezium names in a header of a primary-key update's records: a Struct, or a map when
     * the worker's header converter kept no schema. Null when the header is absent or not that key.
     */
    private static Struct keyHeader(SinkRecord record, String name) {
        Header header = record.headers().lastWithName(name);
        if (header == null || !(record.key() instanceof Struct key)) {
            return null;
        }
        try {
            Struct other = new Struct(key.schema());
            for (Field f : key.schema().fields()) {
                Object value = header.value() instanceof Struct s && s.schema().field(f.name()) != null ? s.get(f.name())
                        : header.value() instanceof java.util.Map<?, ?> m ? coerce(f.schema(), m.get(f.name())) : null;
                if (value == null) {
                    return null;
                }
                other.put(f, value);
            }
            return other;
        } catch (org.apache.kafka.connect.errors.DataException e) {
            return null; // not the key's shape: the change is applied as it stands
        }
    }

    /** A schemaless header value as the key field's type (JSON gives an int where the key is an int64). */
    private static Object coerce(Schema schema, Object value) {
        if (value == null || schema.name() != null) {
            return schema.name() == null ? null : value;
        }
        return switch (schema.type()) {
            case INT8 -> Values.convertToByte(null, value);
            case INT16 -> Values.convertToShort(null, value);
            case INT32 -> Values.convertToInteger(null, value);
            case INT64 -> Values.convertToLong(null, value);
            case STRING -> Values.convertToString(null, value);
            case BOOLEAN -> Values.convertToBoolean(null, value);
            default -> value;
        };
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
