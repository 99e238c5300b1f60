package io.tidemark.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.Converter;

/**
 * Builds change events shaped as Debezium's Oracle connector emits them (envelope with
 * {@code before}/{@code after}/{@code source}/{@code op}/{@code ts_ms}) and serialises them with
 * Connect's {@link JsonConverter} with schemas (or converters of the caller's, e.g. Avro), as a
 * Connect worker would write them to Kafka.
 */
public final class DebeziumEvents {

    private final String topic;
    private final String schemaName;
    private final String tableName;
    private final Schema keySchema;
    private final Schema rowSchema;
    private final Schema envelopeSchema;
    private final Schema sourceSchema;
    private final Converter keyConverter;
    private final Converter valueConverter;
    private long scn = 1_000_000;

    /**
     * @param topicPrefix Debezium's {@code topic.prefix}; the topic is {@code prefix.SCHEMA.TABLE}
     * @param keySchema   the key Struct schema (the primary key columns)
     * @param rowSchema   the row Struct schema (every column, key columns included)
     */
    public DebeziumEvents(String topicPrefix, String schemaName, String tableName, Schema keySchema, Schema rowSchema) {
        this(topicPrefix, schemaName, tableName, keySchema, rowSchema, json(true), json(false));
    }

    /** The same, serialised by these converters (configured for keys and for values). */
    public DebeziumEvents(String topicPrefix, String schemaName, String tableName, Schema keySchema, Schema rowSchema,
                          Converter keyConverter, Converter valueConverter) {
        this.keyConverter = keyConverter;
        this.valueConverter = valueConverter;
        this.topic = topicPrefix + "." + schemaName + "." + tableName;
        this.schemaName = schemaName;
        this.tableName = tableName;
        this.keySchema = keySchema;
        this.rowSchema = rowSchema;
        this.sourceSchema = SchemaBuilder.struct().name("io.debezium.connector.oracle.Source")
                .field("version", Schema.STRING_SCHEMA)
                .field("connector", Schema.STRING_SCHEMA)
                .field("name", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.INT64_SCHEMA)
                .field("snapshot", SchemaBuilder.string().optional().defaultValue("false").build())
                .field("db", Schema.STRING_SCHEMA)
                .field("schema", Schema.STRING_SCHEMA)
                .field("table", Schema.STRING_SCHEMA)
                .field("scn", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        this.envelopeSchema = SchemaBuilder.struct().name(topic + ".Envelope").version(2)
                .field("before", optional(rowSchema))
                .field("after", optional(rowSchema))
                .field("source", sourceSchema)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    private static JsonConverter json(boolean isKey) {
        JsonConverter converter = new JsonConverter();
        converter.configure(isKey ? Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "true")
                : Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "true", JsonConverterConfig.DECIMAL_FORMAT_CONFIG, "BASE64"),
                isKey);
        return converter;
    }

    /**
     * The converter settings of a sink connector that reads what this class writes: Connect's
     * {@code JsonConverter} with schemas, for keys and values.
     */
    public static Map<String, String> sinkConverterConfig() {
        String json = JsonConverter.class.getName();
        return Map.of("key.converter", json, "key.converter.schemas.enable", "true",
                "value.converter", json, "value.converter.schemas.enable", "true");
    }

    private static Schema optional(Schema row) {
        SchemaBuilder b = SchemaBuilder.struct().name(row.name()).optional();
        if (row.version() != null) {
            b.version(row.version());
        }
        row.fields().forEach(f -> b.field(f.name(), f.schema()));
        return b.build();
    }

    public String topic() {
        return topic;
    }

    public Schema keySchema() {
        return keySchema;
    }

    public Schema rowSchema() {
        return rowSchema;
    }

    public Schema envelopeSchema() {
        return envelopeSchema;
    }

    /** A row Struct from alternating column names and values. */
    public Struct row(Object... namesAndValues) {
        Struct row = new Struct(envelopeSchema.field("after").schema());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    /** The key Struct of a row: its key columns. */
    public Struct keyOf(Struct row) {
        Struct key = new Struct(keySchema);
        keySchema.fields().forEach(f -> key.put(f.name(), row.get(f.name())));
        return key;
    }

    public Struct envelope(String op, Struct before, Struct after) {
        Struct source = new Struct(sourceSchema)
                .put("version", "3.6.1.Final").put("connector", "oracle").put("name", "test")
                .put("ts_ms", System.currentTimeMillis()).put("snapshot", "r".equals(op) ? "true" : "false")
                .put("db", "ORCLPDB1").put("schema", schemaName).put("table", tableName)
                .put("scn", Long.toString(scn++));
        return new Struct(envelopeSchema).put("before", before).put("after", after).put("source", source)
                .put("op", op).put("ts_ms", System.currentTimeMillis());
    }

    public ProducerRecord<byte[], byte[]> read(Struct row) {
        return record(keyOf(row), envelope("r", null, row));
    }

    public ProducerRecord<byte[], byte[]> insert(Struct row) {
        return record(keyOf(row), envelope("c", null, row));
    }

    public ProducerRecord<byte[], byte[]> update(Struct before, Struct after) {
        return record(keyOf(after), envelope("u", before, after));
    }

    public ProducerRecord<byte[], byte[]> delete(Struct before) {
        return record(keyOf(before), envelope("d", before, null));
    }

    public ProducerRecord<byte[], byte[]> tombstone(Struct row) {
        return new ProducerRecord<>(topic, serializeKey(keyOf(row)), null);
    }

    public ProducerRecord<byte[], byte[]> record(Struct key, Struct value) {
        return new ProducerRecord<>(topic, serializeKey(key), valueConverter.fromConnectData(topic, envelopeSchema, value));
    }

    /** The same record into an explicit partition. */
    public static ProducerRecord<byte[], byte[]> toPartition(ProducerRecord<byte[], byte[]> record, int partition) {
        return new ProducerRecord<>(record.topic(), partition, record.key(), record.value());
    }

    public byte[] serializeKey(Struct key) {
        return keyConverter.fromConnectData(topic, keySchema, key);
    }

    public byte[] serializeValue(Schema schema, Object value) {
        return valueConverter.fromConnectData(topic, schema, value);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
