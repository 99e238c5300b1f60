package io.tidemark.sink.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tidemark.sink.types.debezium.DateType;
import io.tidemark.sink.types.debezium.MicroTimestampType;
import io.tidemark.sink.types.debezium.NanoTimestampType;
import io.tidemark.sink.types.debezium.TimestampType;
import io.tidemark.sink.types.debezium.VariableScaleDecimalType;
import io.tidemark.sink.types.debezium.ZonedTimestampType;

/**
 * The license measure does not depend on the {@code COPY} format: a value's {@link BinaryField}
 * returns exactly the bytes its text form ({@link ColumnType#writeCopyText}) has, for every case of
 * {@link ColumnTypesRoundTripTest} into every column type its binary form writes, and for random
 * values of each type with a binary form.
 */
class BinaryMeteringTest {

    /** Every column type some type has a binary form for. */
    private static final List<String> TARGETS = List.of("smallint", "integer", "bigint", "numeric", "numeric(10,2)",
            "real", "double precision", "boolean", "text", "varchar(12)", "char(3)", "bytea", "date", "timestamp(0)",
            "timestamp(6)", "timestamptz(6)");

    static Stream<ColumnTypesRoundTripTest.Case> cases() {
        return ColumnTypesRoundTripTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void binaryMetersWhatTheTextFormHas(ColumnTypesRoundTripTest.Case c) {
        ColumnType type = ColumnTypes.standard().resolve(c.schema());
        List<String> targets = new ArrayList<>(TARGETS);
        targets.add(type.sqlType(c.schema(), SourceColumn.of(c.schema())));
        for (String target : targets) {
            BinaryField field = type.binaryField(c.schema(), PgColumnType.parse(target));
            if (field != null) {
                assertSameMeasure(type, c.schema(), field, c.value(), c.label() + " into " + target);
            }
        }
    }

    @Test
    void randomIntegersDecimalsAndFloats() {
        Random random = new Random(23);
        Schema vsd = SchemaBuilder.struct().name(VariableScaleDecimalType.LOGICAL_NAME)
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();
        Schema decimal = Decimal.builder(7).build();
        for (int i = 0; i < 3000; i++) {
            BigInteger unscaled = new BigInteger(1 + random.nextInt(random.nextBoolean() ? 70 : 400), random);
            unscaled = random.nextInt(3) == 0 ? BigInteger.ZERO : random.nextBoolean() ? unscaled.negate() : unscaled;
            int scale = random.nextInt(140) - 40;
            allTargets(vsd, new Struct(vsd).put("scale", scale).put("value", unscaled.toByteArray()));
            allTargets(decimal, new BigDecimal(unscaled, 7));
            long n = random.nextLong() >> random.nextInt(64);
            allTargets(Schema.INT64_SCHEMA, n);
            allTargets(Schema.INT32_SCHEMA, (int) n);
            allTargets(Schema.INT16_SCHEMA, (short) n);
            allTargets(Schema.FLOAT64_SCHEMA, Double.longBitsToDouble(random.nextLong()));
            allTargets(Schema.FLOAT32_SCHEMA, Float.intBitsToFloat(random.nextInt()));
        }
        allTargets(vsd, new Struct(vsd).put("scale", 3).put("value", BigInteger.valueOf(Long.MIN_VALUE).toByteArray()));
        allTargets(vsd, new Struct(vsd).put("scale", -3).put("value", BigInteger.valueOf(Long.MIN_VALUE).toByteArray()));
    }

    @Test
    void randomDatesAndTimestampsOverPostgresqlsWholeRange() {
        Random random = new Random(29);
        Schema date = SchemaBuilder.int32().name(DateType.LOGICAL_NAME).build();
        Schema millis = SchemaBuilder.int64().name(TimestampType.LOGICAL_NAME).build();
        Schema micros = SchemaBuilder.int64().name(MicroTimestampType.LOGICAL_NAME).build();
        Schema nanos = SchemaBuilder.int64().name(NanoTimestampType.LOGICAL_NAME).build();
        Schema zoned = SchemaBuilder.string().name(ZonedTimestampType.LOGICAL_NAME).build();
        long first = TemporalText.MIN_EPOCH_DAY;
        long span = TemporalText.MAX_TIMESTAMP_EPOCH_DAY - first;
        for (int i = 0; i < 3000; i++) {
            // a day anywhere in the range, or one of the common years, to the microsecond
            long day = random.nextBoolean() ? first + Math.floorMod(random.nextLong(), span + 1)
                    : random.nextInt(-800_000, 3_000_000);
            long ofDay = Math.floorMod(random.nextLong(), TemporalText.MICROS_PER_DAY);
            long micro = day * TemporalText.MICROS_PER_DAY + switch (random.nextInt(3)) {
                case 0 -> ofDay;
                case 1 -> ofDay / 1000 * 1000; // whole milliseconds
                default -> ofDay / 1_000_000 * 1_000_000; // whole seconds
            };
            allTargets(date, (int) (first + Math.floorMod(random.nextLong(), TemporalText.MAX_DATE_EPOCH_DAY - first + 1)));
            allTargets(date, (int) day);
            allTargets(micros, micro);
            allTargets(millis, Math.floorDiv(micro, 1000));
            allTargets(nanos, random.nextLong());
            int offsetSeconds = random.nextInt(-57_599, 57_600);
            java.time.ZoneOffset offset = java.time.ZoneOffset.ofTotalSeconds(
                    random.nextBoolean() ? offsetSeconds : offsetSeconds / 60 * 60);
            java.time.OffsetDateTime t = java.time.Instant.ofEpochSecond(Math.floorDiv(micro, 1_000_000),
                    random.nextInt(1_000_000_000)).atOffset(offset);
            allTargets(zoned, random.nextBoolean() ? t.toString() : t.withNano(t.getNano() / 1000 * 1000).toString());
        }
    }

    @Test
    void randomTextAndBytes() {
        Random random = new Random(31);
        int[] alphabet = "ab \\\t\n\r\"'{},\u0001\u007fü€😀".codePoints().toArray();
        for (int i = 0; i < 3000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) {
                s.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
            }
            String text = s.toString();
            allTargets(Schema.STRING_SCHEMA, text);
            byte[] bytes = new byte[random.nextInt(50)];
            random.nextBytes(bytes);
            allTargets(Schema.BYTES_SCHEMA, bytes);
            allTargets(Schema.BYTES_SCHEMA, ByteBuffer.wrap(bytes, bytes.length / 3, bytes.length - bytes.length / 3));
        }
    }

    private static void allTargets(Schema schema, Object value) {
        ColumnType type = ColumnTypes.standard().resolve(schema);
        for (String target : TARGETS) {
            BinaryField field = type.binaryField(schema, PgColumnType.parse(target));
            if (field != null) {
                assertSameMeasure(type, schema, field, value, type + " " + value + " into " + target);
            }
        }
    }

    /** The same measure both ways, for a value both forms take (one each refuses is the round-trip test's). */
    private static void assertSameMeasure(ColumnType type, Schema schema, BinaryField field, Object value, String what) {
        Integer text = measured(v -> {
            CopyTextWriter out = new CopyTextWriter();
            type.writeCopyText(v, schema, out);
            return out.length();
        }, value);
        Integer binary = measured(v -> field.write(v, new CopyBinaryWriter()), value);
        if (text != null && binary != null) {
            assertThat(binary).as("the bytes metered for %s in binary (text: %s)", what,
                    TypeTesting.copyText(type, schema, value)).isEqualTo(text);
        }
    }

    private static Integer measured(Function<Object, Integer> write, Object value) {
        try {
            return write.apply(value);
        } catch (BadValueException e) {
            return null;
        }
    }
}
