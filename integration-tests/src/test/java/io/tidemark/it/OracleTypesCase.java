package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * One table with every Oracle type Debezium's Oracle connector carries, as it emits them
 * (decimal.handling.mode=precise, column.propagate.source.type=.*, lob.enabled), through a converter
 * and a Connect worker into PostgreSQL: the column types docs/design.md and docs/types.md name, and
 * every value back without loss but what the converter itself loses (BINARY_FLOAT/BINARY_DOUBLE NaN
 * and ±Infinity with JSON). The events are built here, as Debezium shapes them: no Oracle runs on the build machines.
 * Types Debezium does not carry (BOOLEAN, LONG, LONG RAW, UROWID, BFILE, VECTOR) have no case: no
 * event ever holds them (docs/types.md, connector-source's CapturedColumnCheckTest).
 * {@link OracleTypesIT} runs it with JsonConverter, {@link OracleTypesAvroIT} with Avro.
 */
abstract class OracleTypesCase {

    /** The test class's own cluster and database. */
    abstract EmbeddedPipeline pipeline();

    /** The events as the converter under test writes them. */
    abstract DebeziumEvents events(String prefix, String schema, String table, Schema key, Schema row);

    /** The sink's converter settings that read them. */
    abstract Map<String, String> sinkConverters();

    /** What PostgreSQL prints for a BINARY_FLOAT/BINARY_DOUBLE NaN, +Infinity, -Infinity and -0.0 after the trip. */
    abstract List<String> nonFiniteFloatsArrivingAs();

    private PostgresTestDatabase db;
    private ConnectTestCluster connect;

    /** A field schema with the parameters column.propagate.source.type adds. */
    private static SchemaBuilder source(SchemaBuilder builder, String type, Integer length, Integer scale) {
        return sourceParams(builder, type, length, scale).optional();
    }

    private static SchemaBuilder sourceParams(SchemaBuilder builder, String type, Integer length, Integer scale) {
        builder.parameter("__debezium.source.column.type", type);
        if (length != null) {
            builder.parameter("__debezium.source.column.length", length.toString());
        }
        if (scale != null) {
            builder.parameter("__debezium.source.column.scale", scale.toString());
        }
        return builder;
    }

    private static SchemaBuilder named(SchemaBuilder builder, String name) {
        return builder.name(name).version(1);
    }

    private static final Schema VARIABLE_SCALE = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal")
            .version(1).optional()
            .parameter("__debezium.source.column.type", "NUMBER")
            .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();

    private static final Schema KEY = SchemaBuilder.struct().name("oracle1.HR.ALL_TYPES.Key")
            .field("ID", sourceParams(SchemaBuilder.int64(), "NUMBER", 10, 0).build()).build();

    private static final Schema ROW = SchemaBuilder.struct().name("oracle1.HR.ALL_TYPES.Value")
            .field("ID", sourceParams(SchemaBuilder.int64(), "NUMBER", 10, 0).build())
            .field("N_SMALL", source(SchemaBuilder.int16(), "NUMBER", 4, 0).build())
            .field("N_INT", source(SchemaBuilder.int32(), "NUMBER", 9, 0).build())
            .field("N_BIG", source(Decimal.builder(0).parameter("connect.decimal.precision", "25"), "NUMBER", 25, 0).build())
            .field("N_DEC", source(Decimal.builder(3).parameter("connect.decimal.precision", "12"), "NUMBER", 12, 3).build())
            .field("N_VAR", VARIABLE_SCALE)
            .field("F_BIN", source(SchemaBuilder.float32(), "BINARY_FLOAT", null, null).build())
            .field("D_BIN", source(SchemaBuilder.float64(), "BINARY_DOUBLE", null, null).build())
            .field("D_DATE", source(named(SchemaBuilder.int64(), "io.debezium.time.Timestamp"), "DATE", 7, null).build())
            .field("TS3", source(named(SchemaBuilder.int64(), "io.debezium.time.Timestamp"), "TIMESTAMP(3)", 3, null).build())
            .field("TS6", source(named(SchemaBuilder.int64(), "io.debezium.time.MicroTimestamp"), "TIMESTAMP(6)", 6, null).build())
            .field("TS9", source(named(SchemaBuilder.int64(), "io.debezium.time.NanoTimestamp"), "TIMESTAMP(9)", 9, null).build())
            .field("TSTZ", source(named(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"),
                    "TIMESTAMP(6) WITH TIME ZONE", 13, 6).build())
            .field("TSLTZ", source(named(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"),
                    "TIMESTAMP(6) WITH LOCAL TIME ZONE", 11, 6).build())
            .field("IV_DS", source(named(SchemaBuilder.int64(), "io.debezium.time.MicroDuration"),
                    "INTERVAL DAY(2) TO SECOND(6)", 2, 6).build())
            .field("IV_YM", source(named(SchemaBuilder.int64(), "io.debezium.time.MicroDuration"),
                    "INTERVAL YEAR(2) TO MONTH", 2, null).build())
            .field("V2", source(SchemaBuilder.string(), "VARCHAR2", 40, null).build())
            .field("NV2", source(SchemaBuilder.string(), "NVARCHAR2", 20, null).build())
            .field("CH", source(SchemaBuilder.string(), "CHAR", 5, null).build())
            .field("CL", source(SchemaBuilder.string(), "CLOB", null, null).build())
            .field("NCL", source(SchemaBuilder.string(), "NCLOB", null, null).build())
            .field("BL", source(SchemaBuilder.bytes(), "BLOB", null, null).build())
            .field("RW", source(SchemaBuilder.bytes(), "RAW", 16, null).build())
            .field("X", source(named(SchemaBuilder.string(), "io.debezium.data.Xml"), "XMLTYPE", null, null).build())
            .build();

    private static long micros(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
    }

    private static long nanos(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000 + i.getNano();
    }

    private static final long DAYS_PER_MONTH_MICROS = (long) (365.25 / 12 * 86_400_000_000L);

    @Test
    void everyOracleTypeRoundTripsEndToEnd() {
        db = pipeline().db();
        connect = pipeline().connect();
        DebeziumEvents e = events("oracle1", "HR", "ALL_TYPES", KEY, ROW);
        connect.createTopic(e.topic(), 1);
        BigDecimal pi = new BigDecimal("3.14159265358979323846264338327950288");
        Struct varScale = new Struct(VARIABLE_SCALE).put("scale", pi.scale()).put("value", pi.unscaledValue().toByteArray());
        Struct full = e.row(
                "ID", 1L,
                "N_SMALL", (short) -1234,
                "N_INT", 123_456_789,
                "N_BIG", new BigDecimal("1234567890123456789012345"),
                "N_DEC", new BigDecimal("-123456789.123"),
                "N_VAR", varScale,
                "F_BIN", 1.1f,
                "D_BIN", 1.0E300,
                "D_DATE", Instant.parse("2024-02-29T13:45:12Z").toEpochMilli(),
                "TS3", Instant.parse("1969-07-20T20:17:40.123Z").toEpochMilli(),
                "TS6", micros("0001-01-01T00:00:00.000001Z"),
                "TS9", nanos("2024-01-01T23:59:59.999999999Z"),
                "TSTZ", "2024-06-01T10:15:30.123456+02:00",
                "TSLTZ", "2024-06-01T08:15:30.5Z",
                "IV_DS", ((3L * 24 + 4) * 3600 + 5 * 60 + 6) * 1_000_000 + 789_000,
                "IV_YM", 14 * DAYS_PER_MONTH_MICROS,
                "V2", "Grüße, 世界\ttab\\slash",
                "NV2", "ñandú",
                "CH", "ab   ",
                "CL", "line 1\nline 2\r\n" + "x".repeat(100_000),
                "NCL", "😀 emoji",
                "BL", new byte[] {0, 1, (byte) 0xff},
                "RW", new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef},
                "X", "<a><b>1</b></a>");
        Struct empty = e.row("ID", 2L);
        Struct lobsUntouched = e.row("ID", 1L, "N_INT", 7, "CL", "__debezium_unavailable_value",
                "BL", "__debezium_unavailable_value".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Struct fullAgain = e.row("ID", 3L, "N_INT", 5, "CL", "kept", "BL", new byte[] {9});
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> records = new java.util.ArrayList<>(
                List.of(e.read(full), e.read(empty), e.insert(fullAgain)));
        float[] floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f};
        double[] doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0};
        for (int i = 0; i < floats.length; i++) {
            records.add(e.insert(e.row("ID", 4L + i, "F_BIN", floats[i], "D_BIN", doubles[i])));
        }
        connect.send(records);
        Map<String, String> sink = SinkConnectorConfigs.sink(db, e.topic(), 1);
        sink.putAll(sinkConverters());
        connect.startConnector("types-sink", sink, 1);
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> db.count("SELECT count(*) FROM hr.all_types") == 7);

        Map<String, String> types = new java.util.TreeMap<>();
        db.query("SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute "
                + "WHERE attrelid = 'hr.all_types'::regclass AND attnum > 0").forEach(r ->
                types.put((String) r.get("attname"), (String) r.get("type")));
        assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("id", "bigint"), Map.entry("n_small", "smallint"), Map.entry("n_int", "integer"),
                Map.entry("n_big", "numeric(25,0)"), Map.entry("n_dec", "numeric(12,3)"), Map.entry("n_var", "numeric"),
                Map.entry("f_bin", "real"), Map.entry("d_bin", "double precision"),
                Map.entry("d_date", "timestamp(0) without time zone"), Map.entry("ts3", "timestamp(3) without time zone"),
                Map.entry("ts6", "timestamp(6) without time zone"), Map.entry("ts9", "timestamp(6) without time zone"),
                Map.entry("tstz", "timestamp(6) with time zone"), Map.entry("tsltz", "timestamp(6) with time zone"),
                Map.entry("iv_ds", "interval"), Map.entry("iv_ym", "interval"),
                Map.entry("v2", "character varying(40)"), Map.entry("nv2", "character varying(20)"),
                Map.entry("ch", "character(5)"), Map.entry("cl", "text"), Map.entry("ncl", "text"),
                Map.entry("bl", "bytea"), Map.entry("rw", "bytea"), Map.entry("x", "xml")));

        Map<String, Object> row = db.query("SELECT n_small::text, n_int::text, n_big::text, n_dec::text, n_var::text,"
                + " f_bin::text, d_bin::text, d_date::text, ts3::text, ts6::text, ts9::text,"
                + " (tstz AT TIME ZONE 'UTC')::text AS tstz, (tsltz AT TIME ZONE 'UTC')::text AS tsltz,"
                + " extract(epoch FROM iv_ds)::text AS iv_ds, iv_ym::text, v2, nv2, ch, length(cl) AS cl_len,"
                + " left(cl, 14) AS cl_head, ncl, encode(bl, 'hex') AS bl, encode(rw, 'hex') AS rw, x::text"
                + " FROM hr.all_types WHERE id = 1").get(0);
        assertThat(row).containsExactly(
                Map.entry("n_small", "-1234"), Map.entry("n_int", "123456789"),
                Map.entry("n_big", "1234567890123456789012345"), Map.entry("n_dec", "-123456789.123"),
                Map.entry("n_var", "3.14159265358979323846264338327950288"),
                Map.entry("f_bin", "1.1"), Map.entry("d_bin", "1e+300"),
                Map.entry("d_date", "2024-02-29 13:45:12"), Map.entry("ts3", "1969-07-20 20:17:40.123"),
                Map.entry("ts6", "0001-01-01 00:00:00.000001"), Map.entry("ts9", "2024-01-02 00:00:00"),
                Map.entry("tstz", "2024-06-01 08:15:30.123456"), Map.entry("tsltz", "2024-06-01 08:15:30.5"),
                Map.entry("iv_ds", "273906.789000"), Map.entry("iv_ym", "1 year 2 mons"),
                Map.entry("v2", "Grüße, 世界\ttab\\slash"), Map.entry("nv2", "ñandú"), Map.entry("ch", "ab   "),
                Map.entry("cl_len", 100_015), Map.entry("cl_head", "line 1\nline 2\r"), Map.entry("ncl", "😀 emoji"),
                Map.entry("bl", "0001ff"), Map.entry("rw", "deadbeef"), Map.entry("x", "<a><b>1</b></a>"));
        assertThat(db.rowsAsText("SELECT * FROM hr.all_types WHERE id = 2")).singleElement().asString()
                .isEqualTo("2" + "|null".repeat(ROW.fields().size() - 1));
        List<String> special = nonFiniteFloatsArrivingAs();
        assertThat(db.rowsAsText("SELECT f_bin::text, d_bin::text FROM hr.all_types WHERE id >= 4 ORDER BY id"))
                .containsExactly(special.stream().map(v -> v + "|" + v).toArray(String[]::new));

        // An update that could not read the LOBs keeps the stored ones; the other columns change.
        connect.send(List.of(e.update(full, lobsUntouched)));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> db.count("SELECT n_int FROM hr.all_types WHERE id = 1") == 7);
        assertThat(db.rowsAsText("SELECT length(cl), encode(bl, 'hex'), v2 FROM hr.all_types WHERE id = 1"))
                .containsExactly("100015|0001ff|null");
        connect.connect().deleteConnector("types-sink");
    }
}
