package io.tidemark.control.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import io.tidemark.sink.types.ColumnType;
import io.tidemark.sink.types.ColumnTypes;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.SourceColumn;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Each canonical form against the sink's own conversion: a value is written by the sink's column
 * type (its SQL type, its COPY text) into a real PostgreSQL column; the target's canonical form of
 * it must equal the source's canonical form of the same value (a PostgreSQL source column holding
 * it), or, for the Oracle-shaped cases (the schemas OracleTypesCase sends, as Debezium's Oracle
 * connector shapes them; no Oracle runs here), the text Oracle's expression yields for it.
 */
class CanonicalFormsTest {

    private static PostgresTestDatabase db;
    private static Connection c;
    private static int n;

    @BeforeAll
    static void open() throws Exception {
        db = PostgresTestDatabase.create("verify_forms");
        c = db.connect();
        try (Statement st = c.createStatement()) {
            st.execute("SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC';"
                    + " SET extra_float_digits = 1");
        }
    }

    @AfterAll
    static void close() throws Exception {
        c.close();
        db.close();
    }

    private static SchemaBuilder named(SchemaBuilder b, String name) {
        return b.name(name).version(1).optional();
    }

    private static SchemaBuilder oracle(SchemaBuilder b, String type, Integer length, Integer scale) {
        b.parameter(SourceColumn.TYPE_PARAM, type);
        if (length != null) {
            b.parameter(SourceColumn.LENGTH_PARAM, length.toString());
        }
        if (scale != null) {
            b.parameter(SourceColumn.SCALE_PARAM, scale.toString());
        }
        return b.optional();
    }

    /** Writes the value as the sink does into a column of the sink's type; returns [target type, canonical]. */
    private static String[] sinkWrites(Schema schema, Object value, java.util.function.Function<String, Canonical> rule)
            throws Exception {
        ColumnType type = ColumnTypes.standard().resolve(schema);
        String table = "t" + (++n);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (v " + type.sqlType(schema, SourceColumn.of(schema)) + ")");
        }
        CopyTextWriter w = new CopyTextWriter();
        if (value == null) {
            w.appendNull();
        } else {
            type.writeCopyText(value, schema, w);
        }
        w.endRow();
        new CopyManager(c.unwrap(BaseConnection.class)).copyIn("COPY " + table + " (v) FROM STDIN",
                new ByteArrayInputStream(w.array(), 0, w.length()));
        String targetType = scalar("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '"
                + table + "'::regclass AND attname = 'v'");
        Canonical canonical = rule.apply(targetType);
        return new String[] {targetType, scalar("SELECT " + canonical.targetOf("v") + " FROM " + table)};
    }

    private static String scalar(String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A PostgreSQL source column of {@code sourceType} holding {@code literal}, and the sink's write of {@code value}. */
    private static void samePostgres(String sourceType, String literal, Schema schema, Object value) throws Exception {
        String[] target = sinkWrites(schema, value, t -> {
            try {
                return CanonicalForms.postgres(t, sourceType);
            } catch (CanonicalForms.NoRule e) {
                throw new AssertionError(e.getMessage());
            }
        });
        Canonical rule = CanonicalForms.postgres(target[0], sourceType);
        String source = scalar("SELECT " + rule.sourceOf("(" + literal + "::" + sourceType + ")"));
        assertThat(target[1]).as(sourceType + " " + literal + " written as " + target[0]).isEqualTo(source);
    }

    private static String oracleTarget(Schema schema, Object value) throws Exception {
        return sinkWrites(schema, value, t -> {
            try {
                return CanonicalForms.oracle(t, SourceColumn.of(schema));
            } catch (CanonicalForms.NoRule e) {
                throw new AssertionError(e.getMessage());
            }
        })[1];
    }

    @Test
    void postgresSourceValuesCompareEqualToWhatTheSinkWrote() throws Exception {
        samePostgres("integer", "'-2147483648'", Schema.OPTIONAL_INT32_SCHEMA, Integer.MIN_VALUE);
        samePostgres("bigint", "'9007199254740993'", Schema.OPTIONAL_INT64_SCHEMA, 9007199254740993L);
        samePostgres("smallint", "'-7'", Schema.OPTIONAL_INT16_SCHEMA, (short) -7);
        samePostgres("numeric(12,3)", "'-123456789.120'", Decimal.builder(3).parameter("connect.decimal.precision", "12")
                .optional().build(), new BigDecimal("-123456789.120"));
        samePostgres("numeric(12,3)", "'0.710'", Decimal.builder(3).parameter("connect.decimal.precision", "12")
                .optional().build(), new BigDecimal("0.710"));
        Schema vsd = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal").version(1).optional()
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();
        BigDecimal pi = new BigDecimal("3.14159265358979323846264338327950288");
        samePostgres("numeric", "'" + pi + "'", vsd, new Struct(vsd).put("scale", pi.scale())
                .put("value", pi.unscaledValue().toByteArray()));
        samePostgres("real", "'1.1'", Schema.OPTIONAL_FLOAT32_SCHEMA, 1.1f);
        samePostgres("double precision", "'-0'", Schema.OPTIONAL_FLOAT64_SCHEMA, -0.0);
        samePostgres("double precision", "'NaN'", Schema.OPTIONAL_FLOAT64_SCHEMA, Double.NaN);
        samePostgres("double precision", "'1e300'", Schema.OPTIONAL_FLOAT64_SCHEMA, 1e300);
        samePostgres("text", "E'Gr\\u00fc\\u00dfe\\ttab\\\\'", Schema.OPTIONAL_STRING_SCHEMA, "Grüße\ttab\\");
        samePostgres("text", "''", Schema.OPTIONAL_STRING_SCHEMA, "");
        samePostgres("character varying(40)", "'abc'", Schema.OPTIONAL_STRING_SCHEMA, "abc");
        samePostgres("bytea", "'\\x0001ff'", Schema.OPTIONAL_BYTES_SCHEMA, new byte[] {0, 1, (byte) 0xff});
        samePostgres("boolean", "'true'", Schema.OPTIONAL_BOOLEAN_SCHEMA, true);
        samePostgres("date", "'2024-02-29'", named(SchemaBuilder.int32(), "io.debezium.time.Date").build(), 19782);
        samePostgres("timestamp(3) without time zone", "'1969-07-20 20:17:40.123'",
                named(SchemaBuilder.int64(), "io.debezium.time.Timestamp").build(),
                Instant.parse("1969-07-20T20:17:40.123Z").toEpochMilli());
        samePostgres("timestamp(6) without time zone", "'0001-01-01 00:00:00.000001'",
                named(SchemaBuilder.int64(), "io.debezium.time.MicroTimestamp").build(), -62135596799999999L);
        samePostgres("timestamp(6) with time zone", "'2024-06-01 10:15:30.123456+02'",
                named(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp").build(), "2024-06-01T08:15:30.123456Z");
        samePostgres("time(6) without time zone", "'12:34:56.000007'",
                named(SchemaBuilder.int64(), "io.debezium.time.MicroTime").build(), 45_296_000_007L);
        samePostgres("interval", "'1 day 02:03:04.5'",
                named(SchemaBuilder.int64(), "io.debezium.time.MicroDuration").build(), 93_784_500_000L);
        samePostgres("uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
                named(SchemaBuilder.string(), "io.debezium.data.Uuid").build(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        samePostgres("jsonb", "'{\"b\": 1, \"a\": [1, 2]}'", named(SchemaBuilder.string(), "io.debezium.data.Json").build(),
                "{\"a\":[1,2],\"b\":1}");
    }

    @Test
    void oracleShapedValuesLandAsTheOracleExpressionSpellsThem() throws Exception {
        assertThat(oracleTarget(oracle(Decimal.builder(3).parameter("connect.decimal.precision", "12"), "NUMBER", 12, 3)
                .build(), new BigDecimal("0.710"))).isEqualTo("0.710");
        assertThat(oracleTarget(oracle(SchemaBuilder.int64(), "NUMBER", 10, 0).build(), 42L)).isEqualTo("42");
        Schema vsd = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal").version(1).optional()
                .parameter(SourceColumn.TYPE_PARAM, "NUMBER")
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();
        // Oracle's TO_CHAR(.71, 'TM9') is '.71'; the canonical form adds the 0, as trim_scale's output has it.
        assertThat(oracleTarget(vsd, new Struct(vsd).put("scale", 2).put("value", new byte[] {71}))).isEqualTo("0.71");
        assertThat(oracleTarget(oracle(SchemaBuilder.float64(), "BINARY_DOUBLE", null, null).build(), 1.0E300))
                .isEqualTo("1.0000000000000001E+300");
        assertThat(oracleTarget(oracle(SchemaBuilder.float32(), "BINARY_FLOAT", null, null).build(), Float.NaN))
                .isEqualTo("NaN");
        assertThat(oracleTarget(oracle(SchemaBuilder.string(), "VARCHAR2", 40, null).build(), "")).isNull();
        assertThat(oracleTarget(oracle(SchemaBuilder.string(), "CHAR", 5, null).build(), "ab   ")).isEqualTo("ab");
        assertThat(oracleTarget(oracle(SchemaBuilder.string(), "CLOB", null, null).build(), "x".repeat(100_000)))
                .isEqualTo(md5("x".repeat(100_000)));
        assertThat(oracleTarget(oracle(SchemaBuilder.bytes(), "RAW", 16, null).build(),
                new byte[] {(byte) 0xde, (byte) 0xad})).isEqualTo(md5Bytes(new byte[] {(byte) 0xde, (byte) 0xad}));
        assertThat(oracleTarget(oracle(named(SchemaBuilder.int64(), "io.debezium.time.Timestamp"), "DATE", 7, null).build(),
                Instant.parse("2024-02-29T13:45:12Z").toEpochMilli())).isEqualTo("2024-02-29 13:45:12.000000");
        assertThat(oracleTarget(oracle(named(SchemaBuilder.int64(), "io.debezium.time.NanoTimestamp"), "TIMESTAMP(9)", 9,
                null).build(), Instant.parse("2024-01-01T23:59:59.999999999Z").getEpochSecond() * 1_000_000_000L
                + 999_999_999)).isEqualTo("2024-01-02 00:00:00.000000");
        assertThat(oracleTarget(oracle(named(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"),
                "TIMESTAMP(6) WITH TIME ZONE", 13, 6).build(), "2024-06-01T10:15:30.123456+02:00"))
                .isEqualTo("2024-06-01 08:15:30.123456");
        assertThat(oracleTarget(oracle(named(SchemaBuilder.int64(), "io.debezium.time.MicroDuration"),
                "INTERVAL DAY(2) TO SECOND(6)", 2, 6).build(), 273_906_789_000L)).isEqualTo("273906789000");
    }

    @Test
    void oracleExpressionsAreTheTextWeMeanToRun() throws Exception {
        assertThat(CanonicalForms.oracle("numeric(12,3)", new SourceColumn("NUMBER", 12, 3)).sourceOf("\"N\""))
                .isEqualTo("TO_CHAR(\"N\", 'FM999999990D000', 'NLS_NUMERIC_CHARACTERS=''.,''')");
        assertThat(CanonicalForms.oracle("character(5)", new SourceColumn("CHAR", 5, null)).sourceOf("\"C\""))
                .isEqualTo("RTRIM(\"C\", ' ')");
        assertThat(CanonicalForms.oracle("timestamp(6) with time zone", new SourceColumn("TIMESTAMP(6) WITH TIME ZONE",
                13, 6)).sourceOf("\"T\"")).isEqualTo("TO_CHAR(CAST(SYS_EXTRACT_UTC(\"T\") AS TIMESTAMP(6)),"
                + " 'YYYY-MM-DD HH24:MI:SS.FF6')");
        assertThat(CanonicalForms.oracle("bytea", new SourceColumn("BLOB", null, null)).sourceOf("\"B\""))
                .isEqualTo("CASE WHEN DBMS_LOB.GETLENGTH(\"B\") > 0 THEN LOWER(RAWTOHEX(DBMS_CRYPTO.HASH(\"B\", 2))) END");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalForms.oracle("xml",
                new SourceColumn("XMLTYPE", null, null))).hasMessageContaining("XMLTYPE");
    }

    private static String md5(String s) throws Exception {
        return md5Bytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String md5Bytes(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
    }
}
