package io.tidemark.sink.types;

import static io.tidemark.sink.types.TypeTesting.named;
import static io.tidemark.sink.types.TypeTesting.source;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;

import io.tidemark.sink.types.connect.ConnectDecimalType;
import io.tidemark.sink.types.debezium.BitsType;
import io.tidemark.sink.types.debezium.DateType;
import io.tidemark.sink.types.debezium.EnumType;
import io.tidemark.sink.types.debezium.IntervalType;
import io.tidemark.sink.types.debezium.JsonType;
import io.tidemark.sink.types.debezium.MicroDurationType;
import io.tidemark.sink.types.debezium.MicroTimeType;
import io.tidemark.sink.types.debezium.MicroTimestampType;
import io.tidemark.sink.types.debezium.NanoTimeType;
import io.tidemark.sink.types.debezium.NanoTimestampType;
import io.tidemark.sink.types.debezium.TimeType;
import io.tidemark.sink.types.debezium.TimestampType;
import io.tidemark.sink.types.debezium.UuidType;
import io.tidemark.sink.types.debezium.VariableScaleDecimalType;
import io.tidemark.sink.types.debezium.XmlType;
import io.tidemark.sink.types.debezium.YearType;
import io.tidemark.sink.types.debezium.ZonedTimeType;
import io.tidemark.sink.types.debezium.ZonedTimestampType;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Proves "without loss" against the real PostgreSQL: for each type, a column of the type
 * {@code sqlType()} creates, the COPY text the type writes, and the value read back, compared with
 * the exact expected value. Also checks that each created column passes the type's own
 * {@code incompatibility()} as {@code format_type} reports it.
 */
class ColumnTypesRoundTripTest {

    private static PostgresTestDatabase db;
    private static Connection connection;

    @BeforeAll
    static void connect() throws SQLException {
        db = PostgresTestDatabase.create("types");
        connection = db.connect();
        try (Statement st = connection.createStatement()) {
            // fixed output styles, so the expected texts below are exact
            st.execute(TypeTesting.FIXED_OUTPUT_STYLES);
        }
    }

    @AfterAll
    static void disconnect() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        if (db != null) {
            db.close();
        }
    }

    record Case(String label, Schema schema, Object value, String expected) {
        @Override
        public String toString() {
            return label;
        }
    }

    private static Case c(String label, Schema schema, Object value, String expected) {
        return new Case(label, schema, value, expected);
    }

    private static Schema number(SchemaBuilder b, int precision, int scale) {
        return source(b, "NUMBER", precision, scale).build();
    }

    private static Schema decimal(int precision, int scale) {
        return Decimal.builder(scale).parameter(ConnectDecimalType.PRECISION_PARAM, Integer.toString(precision)).build();
    }

    private static Struct vsd(String decimal) {
        BigDecimal d = new BigDecimal(decimal);
        return new Struct(VSD).put("scale", d.scale()).put("value", d.unscaledValue().toByteArray());
    }

    private static final Schema VSD = SchemaBuilder.struct().name(VariableScaleDecimalType.LOGICAL_NAME)
            .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();

    private static Schema dbz(SchemaBuilder primitive, String logicalName) {
        return named(primitive, logicalName).build();
    }

    private static Schema dbz(SchemaBuilder primitive, String logicalName, String type, Integer length, Integer scale) {
        return source(named(primitive, logicalName), type, length, scale).build();
    }

    private static long epochSeconds(int y, int mo, int d, int h, int mi, int s) {
        return LocalDateTime.of(y, mo, d, h, mi, s).toEpochSecond(ZoneOffset.UTC);
    }

    private static long debeziumMonths(int months) {
        double days = months * (365.25 / 12.0d) + 0;
        return (long) (((((days * 24 + 0) * 60) + 0) * 60 + 0.0) * 1e6 + 0);
    }

    static Stream<Case> cases() {
        Schema millis = dbz(SchemaBuilder.int64(), TimestampType.LOGICAL_NAME);
        Schema oracleDate = dbz(SchemaBuilder.int64(), TimestampType.LOGICAL_NAME, "DATE", null, null);
        Schema micros = dbz(SchemaBuilder.int64(), MicroTimestampType.LOGICAL_NAME, "TIMESTAMP(6)", 6, null);
        Schema nanos = dbz(SchemaBuilder.int64(), NanoTimestampType.LOGICAL_NAME, "TIMESTAMP(9)", 9, null);
        Schema tstz = dbz(SchemaBuilder.string(), ZonedTimestampType.LOGICAL_NAME, "TIMESTAMP(6) WITH TIME ZONE", 13, 6);
        Schema date = dbz(SchemaBuilder.int32(), DateType.LOGICAL_NAME);
        Schema ym = dbz(SchemaBuilder.int64(), MicroDurationType.LOGICAL_NAME, "INTERVAL YEAR(2) TO MONTH", 2, null);
        Schema ds = dbz(SchemaBuilder.int64(), MicroDurationType.LOGICAL_NAME, "INTERVAL DAY(3) TO SECOND(6)", 3, 6);
        long t2024 = epochSeconds(2024, 2, 29, 23, 59, 59);
        return Stream.of(
                // integers
                c("NUMBER(2) INT8 min", number(SchemaBuilder.int8(), 2, 0), (byte) -128, "-128"),
                c("NUMBER(4) INT16 max", number(SchemaBuilder.int16(), 4, 0), (short) 32767, "32767"),
                c("NUMBER(9) INT32 min", number(SchemaBuilder.int32(), 9, 0), Integer.MIN_VALUE, "-2147483648"),
                c("NUMBER(18) INT64 max", number(SchemaBuilder.int64(), 18, 0), Long.MAX_VALUE, "9223372036854775807"),
                c("INT64 min", Schema.INT64_SCHEMA, Long.MIN_VALUE, "-9223372036854775808"),
                c("INT32 zero", Schema.INT32_SCHEMA, 0, "0"),
                // exact decimals
                c("NUMBER(10,2) negative", decimal(10, 2), new BigDecimal("-12345678.90"), "-12345678.90"),
                c("NUMBER(10,2) zero keeps scale", decimal(10, 2), new BigDecimal("0.00"), "0.00"),
                c("NUMBER(38) huge", decimal(38, 0), new BigDecimal("-99999999999999999999999999999999999999"),
                        "-99999999999999999999999999999999999999"),
                c("NUMBER(38,30) tiny", decimal(38, 30), new BigDecimal("0.000000000000000000000000000001"),
                        "0.000000000000000000000000000001"),
                c("NUMBER(2,5) scale above precision", decimal(2, 5), new BigDecimal("-0.00099"), "-0.00099"),
                c("NUMBER(20,-2) negative scale", decimal(20, -2), new BigDecimal("1.234E+6").setScale(-2), "1234000"),
                c("Decimal without precision", Decimal.schema(3), new BigDecimal("123456789012345678901234567.891"),
                        "123456789012345678901234567.891"),
                c("NUMBER small", VSD, vsd("-0.001"), "-0.001"),
                c("NUMBER 0.1 never through double", VSD, vsd("0.1"), "0.1"),
                c("NUMBER 1E+125", VSD, vsd("1E+125"), "1" + "0".repeat(125)),
                c("NUMBER -1.5E-130", VSD, vsd("-1.5E-130"), "-0." + "0".repeat(129) + "15"),
                c("NUMBER 40 digits", VSD, vsd("-1234567890123456789.0123456789012345678901"),
                        "-1234567890123456789.0123456789012345678901"),
                // floating point
                c("BINARY_FLOAT 1.1", Schema.FLOAT32_SCHEMA, 1.1f, "1.1"),
                c("BINARY_FLOAT -0", Schema.FLOAT32_SCHEMA, -0.0f, "-0"),
                c("BINARY_FLOAT max", Schema.FLOAT32_SCHEMA, Float.MAX_VALUE, "3.4028235e+38"),
                c("BINARY_FLOAT min", Schema.FLOAT32_SCHEMA, Float.MIN_VALUE, "1e-45"),
                c("BINARY_FLOAT NaN", Schema.FLOAT32_SCHEMA, Float.NaN, "NaN"),
                c("BINARY_FLOAT -Infinity", Schema.FLOAT32_SCHEMA, Float.NEGATIVE_INFINITY, "-Infinity"),
                c("BINARY_DOUBLE 0.1+0.2", Schema.FLOAT64_SCHEMA, 0.1 + 0.2, "0.30000000000000004"),
                c("BINARY_DOUBLE min", Schema.FLOAT64_SCHEMA, Double.MIN_VALUE, "5e-324"),
                c("BINARY_DOUBLE max", Schema.FLOAT64_SCHEMA, Double.MAX_VALUE, "1.7976931348623157e+308"),
                c("BINARY_DOUBLE Infinity", Schema.FLOAT64_SCHEMA, Double.POSITIVE_INFINITY, "Infinity"),
                // boolean, text, bytes
                c("BOOLEAN true", Schema.BOOLEAN_SCHEMA, true, "true"),
                c("BOOLEAN false", Schema.BOOLEAN_SCHEMA, false, "false"),
                c("VARCHAR2(40) specials", source(SchemaBuilder.string(), "VARCHAR2", 40, null).build(),
                        "tab\tnl\ncr\rbs\\ \\N 😀", "tab\tnl\ncr\rbs\\ \\N 😀"),
                c("VARCHAR2 empty", source(SchemaBuilder.string(), "VARCHAR2", 1, null).build(), "", ""),
                c("NVARCHAR2(3) of non-BMP", source(SchemaBuilder.string(), "NVARCHAR2", 3, null).build(), "😀𝄞ü", "😀𝄞ü"),
                c("CHAR(5) padded", source(SchemaBuilder.string(), "CHAR", 5, null).build(), "ab   ", "ab"),
                c("CLOB", source(SchemaBuilder.string(), "CLOB", null, null).build(), "x".repeat(10_000), "x".repeat(10_000)),
                c("ROWID", source(SchemaBuilder.string(), "ROWID", null, null).build(), "AAAR3sAAEAAAACXAAA", "AAAR3sAAEAAAACXAAA"),
                c("BLOB", Schema.BYTES_SCHEMA, new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF, '\\', '\t'}, "\\x0001feff5c09"),
                c("BLOB empty", Schema.BYTES_SCHEMA, new byte[0], "\\x"),
                c("RAW as ByteBuffer", Schema.BYTES_SCHEMA, ByteBuffer.wrap(new byte[] {7, 8, 9}, 1, 2), "\\x0809"),
                // dates
                c("Date leap day", date, (int) LocalDate.of(2024, 2, 29).toEpochDay(), "2024-02-29"),
                c("Date before 1970", date, -1, "1969-12-31"),
                c("Date year 999", date, (int) LocalDate.of(999, 1, 1).toEpochDay(), "0999-01-01"),
                c("Date 44 BC", date, (int) LocalDate.of(-43, 3, 15).toEpochDay(), "0044-03-15 BC"),
                c("Date first day", date, (int) LocalDate.of(-4713, 11, 24).toEpochDay(), "4714-11-24 BC"),
                c("Date last day", date, (int) LocalDate.of(5_874_897, 12, 31).toEpochDay(), "5874897-12-31"),
                c("Date infinity", date, (int) LocalDate.parse("-5877611-06-21").toEpochDay(), "infinity"),
                c("Connect Date", org.apache.kafka.connect.data.Date.SCHEMA,
                        new java.util.Date(LocalDate.of(1, 1, 1).toEpochDay() * 86_400_000L), "0001-01-01"),
                // times
                c("Time millis", dbz(SchemaBuilder.int32(), TimeType.LOGICAL_NAME), 45_296_007, "12:34:56.007"),
                c("MicroTime 24:00", dbz(SchemaBuilder.int64(), MicroTimeType.LOGICAL_NAME), 86_400_000_000L, "24:00:00"),
                c("MicroTime last micro", dbz(SchemaBuilder.int64(), MicroTimeType.LOGICAL_NAME), 86_399_999_999L,
                        "23:59:59.999999"),
                c("NanoTime rounds up", dbz(SchemaBuilder.int64(), NanoTimeType.LOGICAL_NAME), 45_296_123_456_500L,
                        "12:34:56.123457"),
                c("Connect Time", Time.SCHEMA, new java.util.Date(1), "00:00:00.001"),
                c("ZonedTime Z", dbz(SchemaBuilder.string(), ZonedTimeType.LOGICAL_NAME), "10:15:30Z", "10:15:30+00"),
                c("ZonedTime +05:30", dbz(SchemaBuilder.string(), ZonedTimeType.LOGICAL_NAME), "10:15:30.5+05:30",
                        "10:15:30.5+05:30"),
                c("ZonedTime 9 digits", dbz(SchemaBuilder.string(), ZonedTimeType.LOGICAL_NAME), "23:59:59.9999995-01:00",
                        "24:00:00-01"),
                // timestamps
                c("DATE as timestamp(0)", oracleDate, epochSeconds(2024, 2, 29, 13, 45, 0) * 1000, "2024-02-29 13:45:00"),
                c("DATE 4713 BC", oracleDate, epochSeconds(-4712, 1, 1, 0, 0, 0) * 1000, "4713-01-01 00:00:00 BC"),
                c("DATE 9999", oracleDate, epochSeconds(9999, 12, 31, 23, 59, 59) * 1000, "9999-12-31 23:59:59"),
                c("Timestamp millis negative", millis, -1L, "1969-12-31 23:59:59.999"),
                c("Timestamp millis leap day", millis, t2024 * 1000 + 7, "2024-02-29 23:59:59.007"),
                c("Timestamp infinity", millis, 9_223_372_036_825_200L, "infinity"),
                c("MicroTimestamp", micros, t2024 * 1_000_000 + 123_456, "2024-02-29 23:59:59.123456"),
                c("MicroTimestamp year 10000", micros, epochSeconds(10000, 1, 1, 0, 0, 0) * 1_000_000, "10000-01-01 00:00:00"),
                c("MicroTimestamp 1 BC leap day", micros, epochSeconds(0, 2, 29, 0, 0, 0) * 1_000_000 + 1,
                        "0001-02-29 00:00:00.000001 BC"),
                c("MicroTimestamp first instant", micros, TemporalText.MIN_EPOCH_DAY * TemporalText.MICROS_PER_DAY,
                        "4714-11-24 00:00:00 BC"),
                c("MicroTimestamp -infinity", micros, -9_223_372_036_832_400_000L, "-infinity"),
                c("NanoTimestamp rounds half up", nanos, t2024 * 1_000_000_000L + 999_999_500, "2024-03-01 00:00:00"),
                c("NanoTimestamp rounds down", nanos, t2024 * 1_000_000_000L + 123_456_499, "2024-02-29 23:59:59.123456"),
                c("NanoTimestamp before 1970", nanos, -1_500L, "1969-12-31 23:59:59.999999"),
                c("Connect Timestamp", Timestamp.SCHEMA, new java.util.Date(-62_135_596_800_000L), "0001-01-01 00:00:00"),
                c("ZonedTimestamp offset", tstz, "2024-02-29T13:45:00.123456+02:00", "2024-02-29 11:45:00.123456+00"),
                c("ZonedTimestamp Z", tstz, "2020-01-01T00:00:00Z", "2020-01-01 00:00:00+00"),
                c("ZonedTimestamp LMT offset", tstz, "1850-01-01T00:00:00+00:09:21", "1849-12-31 23:50:39+00"),
                c("ZonedTimestamp 9 digits", tstz, "2020-12-31T23:59:59.9999995+01:00", "2020-12-31 23:00:00+00"),
                c("ZonedTimestamp year 10000", tstz, "+10000-01-01T00:00:00Z", "10000-01-01 00:00:00+00"),
                c("ZonedTimestamp BC", tstz, "-0043-03-15T12:00:00+01:00", "0044-03-15 11:00:00+00 BC"),
                c("ZonedTimestamp infinity", tstz, "infinity", "infinity"),
                // intervals
                c("MicroDuration day-second", ds, 93_784_500_000L, "1 day 02:03:04.5"),
                c("MicroDuration negative", ds, -93_784_500_000L, "-1 days -02:03:04.5"),
                c("MicroDuration one micro", ds, -1L, "-00:00:00.000001"),
                c("MicroDuration year-month", ym, debeziumMonths(14), "1 year 2 mons"),
                c("MicroDuration negative year-month", ym, debeziumMonths(-42), "-3 years -6 mons"),
                c("MicroDuration month without source", dbz(SchemaBuilder.int64(), MicroDurationType.LOGICAL_NAME),
                        debeziumMonths(1), "30 days 10:30:00"),
                c("Interval ISO", dbz(SchemaBuilder.string(), IntervalType.LOGICAL_NAME), "P1Y2M3DT4H5M6.78S",
                        "1 year 2 mons 3 days 04:05:06.78"),
                c("Interval ISO negative", dbz(SchemaBuilder.string(), IntervalType.LOGICAL_NAME), "P0Y0M-3DT-4H-5M-6.5S",
                        "-3 days -04:05:06.5"),
                // semantic strings and more
                c("Year", dbz(SchemaBuilder.int32(), YearType.LOGICAL_NAME), 2155, "2155"),
                c("XMLTYPE", dbz(SchemaBuilder.string(), XmlType.LOGICAL_NAME, "XMLTYPE", null, null),
                        "<a x=\"1\">\n\t<b>ü</b>\n</a>", "<a x=\"1\">\n\t<b>ü</b>\n</a>"),
                c("Json as jsonb", dbz(SchemaBuilder.string(), JsonType.LOGICAL_NAME), "{\"b\":[1,2.50],\"a\":\"t\\tx\"}",
                        "{\"a\": \"t\\tx\", \"b\": [1, 2.50]}"),
                c("PostgreSQL json keeps its text", dbz(SchemaBuilder.string(), JsonType.LOGICAL_NAME, "JSON", null, null),
                        "{\"b\":1,  \"b\":\"\\u0000\"}", "{\"b\":1,  \"b\":\"\\u0000\"}"),
                c("Uuid", dbz(SchemaBuilder.string(), UuidType.LOGICAL_NAME), "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
                        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                c("Bits BIT(10)", dbz(SchemaBuilder.bytes().parameter("length", "10"), BitsType.LOGICAL_NAME, "BIT", 10, null),
                        new byte[] {0x01, 0x02}, "1000000001"),
                c("Bits VARBIT", dbz(SchemaBuilder.bytes().parameter("length", "8"), BitsType.LOGICAL_NAME, "VARBIT", 8, null),
                        new byte[] {0x03}, "11"),
                c("Enum", named(SchemaBuilder.string(), EnumType.LOGICAL_NAME).parameter("allowed", "happy,sad").build(),
                        "happy", "happy"),
                c("int[]", SchemaBuilder.array(SchemaBuilder.int32().optional().build()).build(), Arrays.asList(1, null, -3),
                        "{1,NULL,-3}"),
                c("float8[] specials", SchemaBuilder.array(Schema.FLOAT64_SCHEMA).build(),
                        List.of(1.5, Double.NaN, Double.NEGATIVE_INFINITY), "{1.5,NaN,-Infinity}"),
                c("bool[]", SchemaBuilder.array(Schema.BOOLEAN_SCHEMA).build(), List.of(true, false), "{t,f}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roundTripsExactly(Case c) throws Exception {
        ColumnType type = ColumnTypes.standard().resolve(c.schema());
        SourceColumn source = SourceColumn.of(c.schema());
        String sqlType = type.sqlType(c.schema(), source);
        execute("DROP TABLE IF EXISTS rt", "CREATE TABLE rt (c " + sqlType + ")");
        copy("rt", row(type, c.schema(), c.value()));
        assertThat(queryText("SELECT c::text FROM rt")).as("%s as %s", c.label(), sqlType).containsExactly(c.expected());
        String formatted = queryText("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'rt'::regclass AND attname = 'c'").get(0);
        assertThat(type.incompatibility(PgColumnType.parse(formatted), c.schema(), source))
                .as("the column created for %s (%s) holds it", c.label(), formatted).isNull();
    }

    @Test
    void textArraysComeBackElementForElement() throws Exception {
        Schema texts = SchemaBuilder.array(SchemaBuilder.string().optional().build()).build();
        List<String> values = Arrays.asList("a", "b c", null, "NULL", "", "x\"y", "back\\slash", "tab\there", "{,}", "nl\nx", "😀");
        ColumnType type = ColumnTypes.standard().resolve(texts);
        execute("DROP TABLE IF EXISTS arr", "CREATE TABLE arr (c " + type.sqlType(texts, SourceColumn.UNKNOWN) + ")");
        copy("arr", row(type, texts, values));
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT c FROM arr")) {
            rs.next();
            assertThat((Object[]) rs.getArray(1).getArray()).containsExactly(values.toArray());
        }
    }

    @Test
    void aRowOfManyColumnsKeepsTextAndNullApart() throws Exception {
        List<String> values = Arrays.asList("", null, "\\N", "\t", "\n", "\\", "a\tb\\c\nd\re", "😀", "NULL");
        StringBuilder ddl = new StringBuilder("CREATE TABLE wide (");
        CopyTextWriter out = new CopyTextWriter(16);
        ColumnType text = ColumnTypes.standard().resolve(Schema.OPTIONAL_STRING_SCHEMA);
        for (int i = 0; i < values.size(); i++) {
            ddl.append(i == 0 ? "" : ", ").append("c").append(i).append(" text");
            if (i > 0) {
                out.columnSeparator();
            }
            if (values.get(i) == null) {
                out.appendNull();
            } else {
                text.writeCopyText(values.get(i), Schema.OPTIONAL_STRING_SCHEMA, out);
            }
        }
        out.endRow();
        execute("DROP TABLE IF EXISTS wide", ddl.append(")").toString());
        copy("wide", out);
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM wide")) {
            rs.next();
            for (int i = 0; i < values.size(); i++) {
                assertThat(rs.getString(i + 1)).as("column %d", i).isEqualTo(values.get(i));
            }
        }
    }

    /** Many random values of one type in one COPY, read back and compared by value. */
    private <T> void randomRoundTrip(Schema schema, List<Object> values, String select, Function<ResultSet, T> read,
                                     Function<Object, T> expected) throws Exception {
        ColumnType type = ColumnTypes.standard().resolve(schema);
        execute("DROP TABLE IF EXISTS rnd", "CREATE TABLE rnd (i int, c " + type.sqlType(schema, SourceColumn.of(schema)) + ")");
        CopyTextWriter out = new CopyTextWriter();
        for (int i = 0; i < values.size(); i++) {
            out.appendLong(i).columnSeparator();
            type.writeCopyText(values.get(i), schema, out);
            out.endRow();
        }
        copy("rnd", out);
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(select + " FROM rnd ORDER BY i")) {
            int i = 0;
            while (rs.next()) {
                Object value = values.get(i++);
                assertThat(read.apply(rs)).as("value %s", value).isEqualTo(expected.apply(value));
            }
            assertThat(i).isEqualTo(values.size());
        }
    }

    @Test
    void randomDoublesAndFloatsComeBackBitForBit() throws Exception {
        Random random = new Random(7);
        List<Object> doubles = new ArrayList<>();
        List<Object> floats = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            doubles.add(Double.longBitsToDouble(random.nextLong()));
            floats.add(Float.intBitsToFloat(random.nextInt()));
        }
        doubles.removeIf(d -> Double.isNaN((Double) d));
        floats.removeIf(f -> Float.isNaN((Float) f));
        randomRoundTrip(Schema.FLOAT64_SCHEMA, doubles, "SELECT c", rs -> unchecked(() -> Double.doubleToRawLongBits(rs.getDouble(1))),
                v -> Double.doubleToRawLongBits((Double) v));
        randomRoundTrip(Schema.FLOAT32_SCHEMA, floats, "SELECT c", rs -> unchecked(() -> Float.floatToRawIntBits(rs.getFloat(1))),
                v -> Float.floatToRawIntBits((Float) v));
    }

    @Test
    void randomDecimalsComeBackDigitForDigit() throws Exception {
        Random random = new Random(11);
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            values.add(vsd(new BigDecimal(new BigInteger(1 + random.nextInt(200), random).multiply(
                    BigInteger.valueOf(random.nextBoolean() ? 1 : -1)), random.nextInt(120) - 40).toString()));
        }
        randomRoundTrip(VSD, values, "SELECT c", rs -> unchecked(() -> rs.getBigDecimal(1)), v -> {
            BigDecimal d = new BigDecimal(new BigInteger(((Struct) v).getBytes("value")), ((Struct) v).getInt32("scale"));
            return d.scale() < 0 ? d.setScale(0) : d; // same digits, same scale: PostgreSQL keeps the scale it was given
        });
    }

    @Test
    void randomTimestampsComeBackToTheMicrosecond() throws Exception {
        Random random = new Random(13);
        Schema micros = dbz(SchemaBuilder.int64(), MicroTimestampType.LOGICAL_NAME);
        Schema nanos = dbz(SchemaBuilder.int64(), NanoTimestampType.LOGICAL_NAME);
        Schema days = dbz(SchemaBuilder.int32(), DateType.LOGICAL_NAME);
        List<Object> microValues = new ArrayList<>();
        List<Object> nanoValues = new ArrayList<>();
        List<Object> dayValues = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            microValues.add(random.nextLong() % 200_000_000_000_000_000L); // ±6300 years around 1970, BC included
            nanoValues.add(random.nextLong());
            dayValues.add(random.nextInt(5_000_000) - 2_440_588);
        }
        String epochMicros = "SELECT (extract(epoch FROM c) * 1000000)::bigint";
        randomRoundTrip(micros, microValues, epochMicros, rs -> unchecked(() -> rs.getLong(1)), v -> (Long) v);
        randomRoundTrip(nanos, nanoValues, epochMicros, rs -> unchecked(() -> rs.getLong(1)),
                v -> TemporalText.nanosToMicros((Long) v));
        randomRoundTrip(days, dayValues, "SELECT c - DATE '1970-01-01'", rs -> unchecked(() -> rs.getInt(1)), v -> (Integer) v);
    }

    private interface SqlSupplier<T> {
        T get() throws SQLException;
    }

    private static <T> T unchecked(SqlSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CopyTextWriter row(ColumnType type, Schema schema, Object value) {
        CopyTextWriter out = new CopyTextWriter(16);
        type.writeCopyText(value, schema, out);
        return out.endRow();
    }

    private static void copy(String table, CopyTextWriter out) throws Exception {
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN (FORMAT text)",
                new ByteArrayInputStream(out.array(), 0, out.length()));
    }

    private static void execute(String... sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static List<String> queryText(String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }
}
