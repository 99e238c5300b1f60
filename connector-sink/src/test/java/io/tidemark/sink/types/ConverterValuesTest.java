package io.tidemark.sink.types;

import static io.tidemark.sink.types.TypeTesting.named;
import static io.tidemark.sink.types.TypeTesting.source;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.connect.ConnectDecimalType;

/**
 * Values as Kafka Connect's JsonConverter (schemas enabled) hands them to a sink task: a Debezium-like
 * row goes through serialization and back, and every field is written from what came out (Byte and
 * Short for INT8/INT16, byte[] for bytes, BigDecimal for Decimal, java.util.Date for Connect
 * temporals, a Struct for VariableScaleDecimal), with the source-type parameters intact.
 */
class ConverterValuesTest {

    @Test
    void writesEveryFieldAsTheJsonConverterDeliversIt() {
        Schema vsd = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal").version(1)
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).optional().build();
        Schema row = SchemaBuilder.struct().name("server.SCOTT.EMP.Value")
                .field("ID", source(SchemaBuilder.int8(), "NUMBER", 2, 0).build())
                .field("DEPT", source(SchemaBuilder.int16(), "NUMBER", 4, 0).build())
                .field("SAL", source(Decimal.builder(2).parameter(ConnectDecimalType.PRECISION_PARAM, "10"), "NUMBER", 10, 2)
                        .optional().build())
                .field("RATIO", vsd)
                .field("NAME", source(SchemaBuilder.string(), "VARCHAR2", 40, null).optional().build())
                .field("PHOTO", source(SchemaBuilder.bytes(), "BLOB", null, null).optional().build())
                .field("HIRED", source(named(SchemaBuilder.int64(), "io.debezium.time.Timestamp"), "DATE", null, null).build())
                .field("SEEN", source(Timestamp.builder(), "TIMESTAMP(6)", 6, null).optional().build())
                .field("UPDATED", source(named(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"),
                        "TIMESTAMP(6) WITH TIME ZONE", 13, 6).optional().build())
                .field("SCORE", SchemaBuilder.float32().optional().build())
                .field("TAGS", SchemaBuilder.array(SchemaBuilder.string().optional().build()).optional().build())
                .field("ACTIVE", Schema.OPTIONAL_BOOLEAN_SCHEMA)
                .build();
        Struct value = new Struct(row)
                .put("ID", (byte) -7)
                .put("DEPT", (short) 1234)
                .put("SAL", new BigDecimal("-12345.60"))
                .put("RATIO", new Struct(vsd).put("scale", 40).put("value", new BigDecimal("1E-40").unscaledValue().toByteArray()))
                .put("NAME", "O'Brien\t\"Jr\"\\ 😀")
                .put("PHOTO", new byte[] {(byte) 0xCA, (byte) 0xFE})
                .put("HIRED", -2_208_988_800_000L) // 1900-01-01
                .put("SEEN", new java.util.Date(-1))
                .put("UPDATED", "2024-02-29T13:45:00.123456+02:00")
                .put("SCORE", -1.5e-7f)
                .put("TAGS", Arrays.asList("a,b", null))
                .put("ACTIVE", null);

        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true", "decimal.format", "BASE64"), false);
        byte[] json = converter.fromConnectData("topic", row, value);
        SchemaAndValue back = converter.toConnectData("topic", json);

        Map<String, String> written = new LinkedHashMap<>();
        Map<String, String> created = new LinkedHashMap<>();
        Struct received = (Struct) back.value();
        for (Field field : back.schema().fields()) {
            Object v = received.get(field);
            ColumnType type = ColumnTypes.standard().resolve(field.schema());
            created.put(field.name(), type.sqlType(field.schema(), SourceColumn.of(field.schema())));
            if (v == null) {
                written.put(field.name(), null);
            } else {
                CopyTextWriter out = new CopyTextWriter(16);
                type.writeCopyText(v, field.schema(), out);
                written.put(field.name(), out.toString());
            }
        }

        assertThat(received.get("ID")).isInstanceOf(Byte.class);
        assertThat(received.get("PHOTO")).isInstanceOf(byte[].class);
        assertThat(written).containsExactly(
                Map.entry("ID", "-7"),
                Map.entry("DEPT", "1234"),
                Map.entry("SAL", "-12345.60"),
                Map.entry("RATIO", "0.0000000000000000000000000000000000000001"),
                Map.entry("NAME", "O'Brien\\t\"Jr\"\\\\ 😀"),
                Map.entry("PHOTO", "\\\\xcafe"),
                Map.entry("HIRED", "1900-01-01 00:00:00"),
                Map.entry("SEEN", "1969-12-31 23:59:59.999"),
                Map.entry("UPDATED", "2024-02-29T13:45:00.123456+02:00"),
                Map.entry("SCORE", "-1.5E-7"),
                Map.entry("TAGS", "{\"a,b\",NULL}"),
                entry("ACTIVE", null));
        assertThat(created.values()).containsExactly("smallint", "smallint", "numeric(10,2)", "numeric", "varchar(40)",
                "bytea", "timestamp(0)", "timestamp(6)", "timestamptz(6)", "real", "text[]", "boolean");
    }

    /**
     * Not the sink's doing, but it loses data before the sink: the JSON converter writes NaN and the
     * infinities as strings and reads them back as 0.0. BINARY_FLOAT/BINARY_DOUBLE columns holding
     * them need another converter (Avro keeps them). Fails, usefully, the day Kafka fixes it.
     */
    @Test
    void jsonConverterTurnsNanAndInfinitiesIntoZero() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        for (double special : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            byte[] json = converter.fromConnectData("topic", Schema.FLOAT64_SCHEMA, special);
            assertThat(converter.toConnectData("topic", json).value()).as("%s", special).isEqualTo(0.0);
        }
    }

    private static Map.Entry<String, String> entry(String key, String value) {
        return new java.util.AbstractMap.SimpleEntry<>(key, value);
    }
}
