package io.tidemark.sink.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;

import io.tidemark.sink.types.debezium.MicroTimestampType;
import io.tidemark.sink.types.debezium.NanoTimestampType;
import io.tidemark.sink.types.debezium.VariableScaleDecimalType;
import io.tidemark.sink.types.debezium.ZonedTimestampType;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The binary {@code COPY} form of every type that has one, against PostgreSQL's own reading: each
 * case of {@link ColumnTypesRoundTripTest} written with the type's {@link BinaryField} through
 * {@code COPY ... (FORMAT binary)} and with its text form through {@code COPY ... (FORMAT text)}, into
 * the column type {@code sqlType()} creates; both read back as text must be identical, and equal to
 * the case's expected value. A type without a binary form must be one of the ones named here.
 */
class BinaryCopyRoundTripTest {

    /** The types that stay text (the COPY of a table with such a column stays text): see docs/performance.md. */
    private static final Set<String> TEXT_ONLY = Set.of("ConnectArrayType", "ConnectTimeType", "TimeType",
            "MicroTimeType", "NanoTimeType", "ZonedTimeType", "MicroDurationType", "IntervalType", "XmlType",
            "JsonType", "UuidType", "BitsType", "EnumType", "EnumSetType");

    private static PostgresTestDatabase db;
    private static Connection connection;

    @BeforeAll
    static void connect() throws SQLException {
        db = PostgresTestDatabase.create("binary_types");
        connection = db.connect();
        execute(TypeTesting.FIXED_OUTPUT_STYLES);
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

    static List<ColumnTypesRoundTripTest.Case> cases() {
        return ColumnTypesRoundTripTest.cases().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void binaryReadsBackAsTheTextFormDoes(ColumnTypesRoundTripTest.Case c) throws Exception {
        ColumnType type = ColumnTypes.standard().resolve(c.schema());
        String sqlType = type.sqlType(c.schema(), SourceColumn.of(c.schema()));
        PgColumnType target = createBoth(sqlType);
        BinaryField field = type.binaryField(c.schema(), target);
        if (field == null) {
            assertThat(TEXT_ONLY).as("%s (%s) has no binary form", c.label(), type).contains(type.toString());
            return;
        }
        assertThat(TEXT_ONLY).as("%s has a binary form now", type).doesNotContain(type.toString());
        copyText(type, c.schema(), List.of(c.value()));
        copyBinary(field, List.of(c.value()));
        assertThat(readBoth()).as("%s as %s", c.label(), sqlType).containsExactly(List.of(c.expected(), c.expected()));
    }

    @Test
    void nullEmptyAndSpecialTextComeBackAsFromText() throws Exception {
        Schema text = Schema.OPTIONAL_STRING_SCHEMA;
        List<Object> values = Arrays.asList("", null, "\\N", "\t", "\n", "\\", "a\tb\\c\nd\re", "😀", "NULL", "ü€");
        roundTripBoth(text, "text", values);
        roundTripBoth(text, "varchar(12)", values);
        roundTripBoth(text, "char(3)", Arrays.asList("", null, "a", "ab ", "😀"));
    }

    @Test
    void aNulOrAnUnpairedSurrogateIsRefusedAsTheTextFormRefusesIt() {
        BinaryField field = ColumnTypes.standard().resolve(Schema.STRING_SCHEMA).binaryField(Schema.STRING_SCHEMA,
                PgColumnType.parse("text"));
        for (String bad : List.of("a\u0000b", "x\uD800y")) {
            Throwable text = catchBad(() -> new CopyTextWriter().appendText(bad));
            assertThatThrownBy(() -> field.write(bad, new CopyBinaryWriter()))
                    .isInstanceOf(BadValueException.class).hasMessage(text.getMessage());
        }
    }

    @Test
    void numbersIntoOtherNumericColumnsRoundAsFromText() throws Exception {
        Schema decimal = Decimal.builder(4).parameter("connect.decimal.precision", "20").build();
        List<Object> values = Arrays.asList(new BigDecimal("1.2345"), new BigDecimal("-1.2355"), new BigDecimal("0.0000"),
                new BigDecimal("99999999.9949"), null);
        roundTripBoth(decimal, "numeric(10,2)", values);
        roundTripBoth(decimal, "numeric", values);
        roundTripBoth(Schema.INT32_SCHEMA, "bigint", Arrays.asList(1, -2147483648, null));
        roundTripBoth(Schema.INT64_SCHEMA, "numeric(19)", Arrays.asList(Long.MIN_VALUE, Long.MAX_VALUE, 0L));
        roundTripBoth(Schema.FLOAT32_SCHEMA, "double precision", Arrays.asList(1.1f, -0.0f, Float.NaN, 3.4e38f));
        roundTripBoth(Schema.FLOAT64_SCHEMA, "real", Arrays.asList(1.1, 1e-40, Double.NEGATIVE_INFINITY, 0.30000000000000004));
    }

    @Test
    void aDoubleBeyondRealIsRefusedAsPostgresqlRefusesItsText() throws Exception {
        createBoth("real");
        BinaryField field = ColumnTypes.standard().resolve(Schema.FLOAT64_SCHEMA).binaryField(Schema.FLOAT64_SCHEMA,
                PgColumnType.parse("real"));
        for (double d : new double[] {1e-50, -1e39}) {
            assertThatThrownBy(() -> copyText(ColumnTypes.standard().resolve(Schema.FLOAT64_SCHEMA), Schema.FLOAT64_SCHEMA,
                    List.of(d))).hasMessageContaining("out of range for type real");
            assertThatThrownBy(() -> field.write(d, new CopyBinaryWriter())).isInstanceOf(BadValueException.class)
                    .hasMessageContaining("out of range for type real");
        }
    }

    @Test
    void randomDecimalsComeBackDigitForDigit() throws Exception {
        Random random = new Random(17);
        Schema vsd = SchemaBuilder.struct().name(VariableScaleDecimalType.LOGICAL_NAME)
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            BigInteger unscaled = new BigInteger(1 + random.nextInt(random.nextBoolean() ? 60 : 400), random);
            unscaled = random.nextBoolean() ? unscaled.negate() : unscaled;
            values.add(new Struct(vsd).put("scale", random.nextInt(140) - 40).put("value", unscaled.toByteArray()));
        }
        roundTripBoth(vsd, "numeric", values);
    }

    @Test
    void randomTimestampsComeBackToTheMicrosecond() throws Exception {
        Random random = new Random(19);
        Schema micros = SchemaBuilder.int64().name(MicroTimestampType.LOGICAL_NAME).build();
        Schema nanos = SchemaBuilder.int64().name(NanoTimestampType.LOGICAL_NAME).build();
        Schema zoned = SchemaBuilder.string().name(ZonedTimestampType.LOGICAL_NAME).build();
        List<Object> microValues = new ArrayList<>();
        List<Object> nanoValues = new ArrayList<>();
        List<Object> zonedValues = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            microValues.add(random.nextLong() % 200_000_000_000_000_000L);
            nanoValues.add(random.nextLong());
            long seconds = random.nextLong() % 250_000_000_000L;
            java.time.ZoneOffset offset = java.time.ZoneOffset.ofTotalSeconds((random.nextInt(57_599 * 2) - 57_599) / 60 * 60);
            java.time.OffsetDateTime t = java.time.Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000))
                    .atOffset(offset);
            zonedValues.add(random.nextBoolean() ? t.toString() : t.withNano(t.getNano() / 1000 * 1000).toString());
        }
        roundTripBoth(micros, "timestamp(6)", microValues);
        roundTripBoth(micros, "timestamp(3)", microValues);
        roundTripBoth(nanos, "timestamp(6)", nanoValues);
        roundTripBoth(zoned, "timestamptz(6)", zonedValues);
        roundTripBoth(zoned, "timestamptz(0)", zonedValues);
    }

    /** Values of one schema into two columns of {@code sqlType}, text and binary, read back identical. */
    private static void roundTripBoth(Schema schema, String sqlType, List<Object> values) throws Exception {
        ColumnType type = ColumnTypes.standard().resolve(schema);
        PgColumnType target = createBoth(sqlType);
        BinaryField field = type.binaryField(schema, target);
        assertThat(field).as("%s into %s", type, sqlType).isNotNull();
        List<Object> good = new ArrayList<>();
        for (Object v : values) {
            // a value the text form refuses must be refused by the binary form too, with the same words
            Throwable text = catchBad(() -> type.writeCopyText(v, schema, new CopyTextWriter()));
            Throwable binary = catchBad(() -> field.write(v, new CopyBinaryWriter()));
            if (v != null && (text != null || binary != null)) {
                assertThat(binary).as("%s", v).isNotNull();
                assertThat(binary.getMessage()).isEqualTo(text.getMessage());
                continue;
            }
            good.add(v);
        }
        copyText(type, schema, good);
        copyBinary(field, good);
        List<List<String>> rows = readBoth();
        assertThat(rows).hasSize(good.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).get(1)).as("%s as %s", good.get(i), sqlType).isEqualTo(rows.get(i).get(0));
        }
    }

    private static Throwable catchBad(Runnable r) {
        try {
            r.run();
            return null;
        } catch (NullPointerException e) {
            return null; // a null value: written as NULL by the caller
        } catch (BadValueException e) {
            return e;
        }
    }

    /** Two tables with one column of {@code sqlType} each (t: text, b: binary), and the column as format_type says. */
    private static PgColumnType createBoth(String sqlType) throws SQLException {
        execute("DROP TABLE IF EXISTS t, b", "CREATE TABLE t (i int, c " + sqlType + ")",
                "CREATE TABLE b (i int, c " + sqlType + ")");
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT format_type(atttypid,"
                + " atttypmod) FROM pg_attribute WHERE attrelid = 'b'::regclass AND attname = 'c'")) {
            rs.next();
            return PgColumnType.parse(rs.getString(1));
        }
    }

    private static void copyText(ColumnType type, Schema schema, List<Object> values) throws Exception {
        CopyTextWriter out = new CopyTextWriter();
        for (int i = 0; i < values.size(); i++) {
            out.appendLong(i).columnSeparator();
            if (values.get(i) == null) {
                out.appendNull();
            } else {
                type.writeCopyText(values.get(i), schema, out);
            }
            out.endRow();
        }
        copy("COPY t FROM STDIN (FORMAT text)", out);
    }

    private static void copyBinary(BinaryField field, List<Object> values) throws Exception {
        CopyBinaryWriter out = new CopyBinaryWriter();
        for (int i = 0; i < values.size(); i++) {
            out.startRow(2).appendInt4(i);
            if (values.get(i) == null) {
                out.appendNull();
            } else {
                field.write(values.get(i), out);
            }
        }
        copy("COPY b FROM STDIN (FORMAT binary)", out);
    }

    private static void copy(String sql, CopyBuffer out) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(out.copyHeader());
        all.write(out.array(), 0, out.length());
        all.write(out.copyTrailer());
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new ByteArrayInputStream(all.toByteArray()));
    }

    /** Each row's text of t's and b's column side by side, by row number. */
    private static List<List<String>> readBoth() throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT t.c::text, b.c::text, t.c IS NULL, b.c IS NULL FROM t FULL JOIN b USING (i) ORDER BY i")) {
            while (rs.next()) {
                rows.add(Arrays.asList(rs.getString(1), rs.getString(2)));
            }
        }
        return rows;
    }

    private static void execute(String... sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
