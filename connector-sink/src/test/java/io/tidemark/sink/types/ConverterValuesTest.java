package io.tidemark.sink.types;

import static io.tidemark.sink.types.TypeTesting.named;
import static io.tidemark.sink.types.TypeTesting.source;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.connect.ConnectDecimalType;
import io.tidemark.testkit.avro.AvroConverters;

/**
 * Values as Kafka Connect's JsonConverter (schemas enabled) and Apicurio's AvroConverter hand them
 * to a sink task: a Debezium-like row goes through serialization and back, and every field is
 * written from what came out (Byte and Short for INT8/INT16, byte[] from JSON and ByteBuffer from
 * Avro for bytes, BigDecimal for Decimal, java.util.Date for Connect temporals, a Struct for
 * VariableScaleDecimal), with the source-type parameters intact. The Avro converter runs with the
 * tests' in-memory stand-in for a schema registry ({@code InMemorySchemaResolver}).
 */
class ConverterValuesTest {

    private static final Map<String, String> WRITTEN = expectedCopyText();
    private static final List<String> CREATED = List.of("smallint", "smallint", "numeric(10,2)", "numeric",
            "varchar(40)", "bytea", "timestamp(0)", "timestamp(6)", "timestamptz(6)", "real", "text[]", "boolean");

    @Test
    void writesEveryFieldAsTheJsonConverterDeliversIt() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true", "decimal.format", "BASE64"), false);
        Struct received = roundTrip(converter, ROW, value());
        assertThat(received.get("ID")).isInstanceOf(Byte.class);
        assertThat(received.get("PHOTO")).isInstanceOf(byte[].class);
        assertThat(written(received)).containsExactlyEntriesOf(WRITTEN);
        assertThat(created(received)).containsExactlyElementsOf(CREATED);
    }

    @Test
    void writesEveryFieldAsTheAvroConverterDeliversIt() {
        Struct received = roundTrip(AvroConverters.converter(false), ROW, value());
        assertThat(received.get("ID")).isInstanceOf(Byte.class);
        assertThat(received.get("DEPT")).isInstanceOf(Short.class);
        assertThat(received.get("PHOTO")).isInstanceOf(ByteBuffer.class);
        assertThat(received.getStruct("RATIO").get("value")).isInstanceOf(ByteBuffer.class);
        assertThat(received.schema().field("SAL").schema().parameters())
                .containsAllEntriesOf(ROW.field("SAL").schema().parameters());
        assertThat(written(received)).containsExactlyEntriesOf(WRITTEN);
        assertThat(created(received)).containsExactlyElementsOf(CREATED);
    }

    /** What JSON loses (below), Avro carries bit for bit: NaN, both infinities, -0.0, subnormals. */
    @Test
    void avroConverterKeepsEveryFloatAndDouble() {
        Schema row = SchemaBuilder.struct().name("server.SCOTT.F.Value")
                .field("F", SchemaBuilder.float32().optional().build())
                .field("D", SchemaBuilder.float64().optional().build()).build();
        Converter avro = AvroConverters.converter(false);
        float[] floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE, 1.1f};
        double[] doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, 0.1};
        String[] text = {"NaN", "Infinity", "-Infinity", "-0.0"};
        for (int i = 0; i < floats.length; i++) {
            Struct received = roundTrip(avro, row, new Struct(row).put("F", floats[i]).put("D", doubles[i]));
            assertThat(Float.floatToRawIntBits((Float) received.get("F"))).isEqualTo(Float.floatToRawIntBits(floats[i]));
            assertThat(Double.doubleToRawLongBits((Double) received.get("D"))).isEqualTo(Double.doubleToRawLongBits(doubles[i]));
            if (i < text.length) {
                assertThat(written(received)).containsExactly(Map.entry("F", text[i]), Map.entry("D", text[i]));
            }
        }
    }

    private static final Schema VSD = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal").version(1)
            .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).optional().build();

    private static final Schema ROW = SchemaBuilder.struct().name("server.SCOTT.EMP.Value")
            .field("ID", source(SchemaBuilder.int8(), "NUMBER", 2, 0).build())
            .field("DEPT", source(SchemaBuilder.int16(), "NUMBER", 4, 0).build())
            .field("SAL", source(Decimal.builder(2).parameter(ConnectDecimalType.PRECISION_PARAM, "10"), "NUMBER", 10, 2)
                    .optional().build())
            .field("RATIO", VSD)
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

    private static Struct value() {
        return new Struct(ROW)
                .put("ID", (byte) -7)
                .put("DEPT", (short) 1234)
                .put("SAL", new BigDecimal("-12345.60"))
                .put("RATIO", new Struct(VSD).put("scale", 40).put("value", new BigDecimal("1E-40").unscaledValue().toByteArray()))
                .put("NAME", "O'Brien\t\"Jr\"\\ 😀")
                .put("PHOTO", new byte[] {(byte) 0xCA, (byte) 0xFE})
                .put("HIRED", -2_208_988_800_000L) // 1900-01-01
                .put("SEEN", new java.util.Date(-1))
                .put("UPDATED", "2024-02-29T13:45:00.123456+02:00")
                .put("SCORE", -1.5e-7f)
                .put("TAGS", Arrays.asList("a,b", null))
                .put("ACTIVE", null);
    }

    private static Map<String, String> expectedCopyText() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ID", "-7");
        m.put("DEPT", "1234");
        m.put("SAL", "-12345.60");
        m.put("RATIO", "0.0000000000000000000000000000000000000001");
        m.put("NAME", "O'Brien\\t\"Jr\"\\\\ 😀");
        m.put("PHOTO", "\\\\xcafe");
        m.put("HIRED", "1900-01-01 00:00:00");
        m.put("SEEN", "1969-12-31 23:59:59.999");
        m.put("UPDATED", "2024-02-29T13:45:00.123456+02:00");
        m.put("SCORE", "-1.5E-7");
        m.put("TAGS", "{\"a,b\",NULL}");
        m.put("ACTIVE", null);
        return m;
    }

    private static Struct roundTrip(Converter converter, Schema schema, Struct value) {
        byte[] bytes = converter.fromConnectData("topic", schema, value);
        SchemaAndValue back = converter.toConnectData("topic", bytes);
        assertThat(back.schema().name()).isEqualTo(schema.name());
        return (Struct) back.value();
    }

    /** The COPY text of every field, as the sink writes it (null for a null value). */
    private static Map<String, String> written(Struct received) {
        Map<String, String> written = new LinkedHashMap<>();
        for (Field field : received.schema().fields()) {
            Object v = received.get(field);
            written.put(field.name(), v == null ? null : TypeTesting.copyText(field.schema(), v));
        }
        return written;
    }

    private static List<String> created(Struct received) {
        return received.schema().fields().stream().map(f -> TypeTesting.sqlType(f.schema())).toList();
    }

    /**
     * Not the sink's doing, but it loses data before the sink: the JSON converter writes NaN and the
     * infinities as strings and reads them back as 0.0, and reads -0.0 as a decimal, which has no
     * negative zero. BINARY_FLOAT/BINARY_DOUBLE columns holding them need another converter (Avro
     * keeps them). Fails, usefully, the day Kafka fixes it.
     */
    @Test
    void jsonConverterTurnsNanInfinitiesAndNegativeZeroIntoZero() {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        for (double special : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0}) {
            byte[] json = converter.fromConnectData("topic", Schema.FLOAT64_SCHEMA, special);
            assertThat(converter.toConnectData("topic", json).value()).as("%s", special).isEqualTo(0.0);
        }
    }
}
