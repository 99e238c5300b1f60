package io.tidemark.sink.types.debezium;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.named;
import static io.tidemark.sink.types.TypeTesting.source;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;

/** io.debezium.time.Timestamp, MicroTimestamp and NanoTimestamp: local date-times as epoch numbers. */
class TimestampTypesTest {

    private static final Schema MILLIS = named(SchemaBuilder.int64(), TimestampType.LOGICAL_NAME).build();
    private static final Schema MICROS = named(SchemaBuilder.int64(), MicroTimestampType.LOGICAL_NAME).build();
    private static final Schema NANOS = named(SchemaBuilder.int64(), NanoTimestampType.LOGICAL_NAME).build();

    private static long seconds(int year, int month, int day, int hour, int minute, int second) {
        return LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
    }

    @Test
    void millisecondTimestamps() {
        assertThat(copyText(MILLIS, 0L)).isEqualTo("1970-01-01 00:00:00");
        assertThat(copyText(MILLIS, seconds(2024, 2, 29, 23, 59, 59) * 1000 + 7)).isEqualTo("2024-02-29 23:59:59.007");
        assertThat(copyText(MILLIS, -86_400_001L)).isEqualTo("1969-12-30 23:59:59.999");
        assertThat(copyText(MILLIS, seconds(1, 1, 1, 0, 0, 0) * 1000)).isEqualTo("0001-01-01 00:00:00");
        assertThat(copyText(MILLIS, seconds(-4712, 1, 1, 12, 0, 0) * 1000)).isEqualTo("4713-01-01 12:00:00 BC");
        assertThat(copyText(MILLIS, seconds(9999, 12, 31, 23, 59, 59) * 1000)).isEqualTo("9999-12-31 23:59:59");
        assertThat(copyText(MILLIS, seconds(10000, 1, 1, 0, 0, 0) * 1000)).isEqualTo("10000-01-01 00:00:00");
    }

    @Test
    void microsecondTimestamps() {
        assertThat(copyText(MICROS, seconds(2000, 2, 29, 12, 0, 0) * 1_000_000 + 123_456)).isEqualTo("2000-02-29 12:00:00.123456");
        assertThat(copyText(MICROS, -1L)).isEqualTo("1969-12-31 23:59:59.999999");
        assertThat(copyText(MICROS, seconds(1582, 10, 10, 0, 0, 0) * 1_000_000))
                .as("proleptic Gregorian, as PostgreSQL: no gap in 1582").isEqualTo("1582-10-10 00:00:00");
        assertThat(copyText(MICROS, seconds(-99, 6, 30, 1, 2, 3) * 1_000_000 + 10)).isEqualTo("0100-06-30 01:02:03.00001 BC");
        assertThatThrownBy(() -> copyText(MICROS, seconds(-4713, 11, 23, 23, 59, 59) * 1_000_000))
                .isInstanceOf(BadValueException.class).hasMessageContaining("outside PostgreSQL's timestamp range");
    }

    @Test
    void nanosecondTimestampsRoundToTheNearestMicrosecond() {
        long base = seconds(2021, 6, 1, 8, 0, 0) * 1_000_000_000L;
        assertThat(copyText(NANOS, base + 123_456_499)).isEqualTo("2021-06-01 08:00:00.123456");
        assertThat(copyText(NANOS, base + 123_456_500)).isEqualTo("2021-06-01 08:00:00.123457");
        assertThat(copyText(NANOS, base - 500)).as("halves go to the later instant").isEqualTo("2021-06-01 08:00:00");
        assertThat(copyText(NANOS, base - 501)).isEqualTo("2021-06-01 07:59:59.999999");
        assertThat(copyText(NANOS, seconds(1999, 12, 31, 23, 59, 59) * 1_000_000_000L + 999_999_500))
                .isEqualTo("2000-01-01 00:00:00");
        assertThat(copyText(NANOS, -1L)).isEqualTo("1970-01-01 00:00:00");
    }

    @Test
    void postgresInfinitiesComeBackAsInfinities() {
        assertThat(copyText(MILLIS, 9_223_372_036_825_200L)).isEqualTo("infinity");
        assertThat(copyText(MILLIS, -9_223_372_036_832_400L)).isEqualTo("-infinity");
        assertThat(copyText(MICROS, 9_223_372_036_825_200_000L)).isEqualTo("infinity");
        assertThat(copyText(MICROS, -9_223_372_036_832_400_000L)).isEqualTo("-infinity");
        assertThat(copyText(NANOS, Long.MAX_VALUE)).isEqualTo("infinity");
        assertThat(copyText(NANOS, Long.MIN_VALUE)).isEqualTo("-infinity");
        assertThatThrownBy(() -> copyText(MILLIS, Long.MAX_VALUE)).isInstanceOf(BadValueException.class);
    }

    @Test
    void refusesNonNumbers() {
        assertThatThrownBy(() -> copyText(MICROS, "2020-01-01")).isInstanceOf(BadValueException.class)
                .hasMessage("io.debezium.time.MicroTimestamp should be an int64 but is java.lang.String '2020-01-01'");
    }

    @Test
    void columnPrecisionFollowsTheSource() {
        assertThat(sqlType(MILLIS)).isEqualTo("timestamp(3)");
        assertThat(sqlType(source(named(SchemaBuilder.int64(), TimestampType.LOGICAL_NAME), "DATE", null, null).build()))
                .isEqualTo("timestamp(0)");
        assertThat(sqlType(source(named(SchemaBuilder.int64(), TimestampType.LOGICAL_NAME), "TIMESTAMP(2)", 2, null).build()))
                .isEqualTo("timestamp(2)");
        assertThat(sqlType(source(named(SchemaBuilder.int64(), TimestampType.LOGICAL_NAME), "TIMESTAMP", 0, null).build()))
                .isEqualTo("timestamp(0)");
        assertThat(sqlType(MICROS)).isEqualTo("timestamp(6)");
        assertThat(sqlType(source(named(SchemaBuilder.int64(), MicroTimestampType.LOGICAL_NAME), "TIMESTAMP(4)", 4, null).build()))
                .isEqualTo("timestamp(4)");
        assertThat(sqlType(source(named(SchemaBuilder.int64(), MicroTimestampType.LOGICAL_NAME), "TIMESTAMP", 29, 5).build()))
                .as("PostgreSQL source: precision in scale").isEqualTo("timestamp(5)");
        assertThat(sqlType(NANOS)).isEqualTo("timestamp(6)");
        assertThat(sqlType(source(named(SchemaBuilder.int64(), NanoTimestampType.LOGICAL_NAME), "TIMESTAMP(9)", 9, null).build()))
                .isEqualTo("timestamp(6)");
    }

    @Test
    void compatibility() {
        Schema ts6 = source(named(SchemaBuilder.int64(), MicroTimestampType.LOGICAL_NAME), "TIMESTAMP(6)", 6, null).build();
        assertThat(incompatibility("timestamp without time zone", ts6)).isNull();
        assertThat(incompatibility("timestamp(6) without time zone", ts6)).isNull();
        assertThat(incompatibility("timestamp(3) without time zone", ts6)).isEqualTo("column type timestamp(3) without"
                + " time zone cannot hold TIMESTAMP(6) values: fractional seconds would be rounded to 3 digits (the values have 6)");
        assertThat(incompatibility("timestamp(3) without time zone", MILLIS)).isNull();
        assertThat(incompatibility("timestamp(6) with time zone", ts6)).isEqualTo("column type timestamp(6) with time zone"
                + " cannot hold TIMESTAMP(6) values: these are timestamps without time zone, which a timestamp with time zone"
                + " column would read in the session's time zone");
        assertThat(incompatibility("date", MILLIS)).isEqualTo("column type date cannot hold io.debezium.time.Timestamp values");
        assertThat(incompatibility("timestamp(6) without time zone", NANOS)).isNull();
        assertThat(incompatibility("timestamp(5) without time zone", NANOS)).isNotNull();
        assertThat(incompatibility("timestamp(0) without time zone",
                source(named(SchemaBuilder.int64(), TimestampType.LOGICAL_NAME), "DATE", null, null).build())).isNull();
    }
}
