package io.tidemark.sink.types.debezium;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.named;
import static io.tidemark.sink.types.TypeTesting.source;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;

/** io.debezium.time.Date, Time, MicroTime and NanoTime. */
class TimeAndDateTypesTest {

    private static final Schema DATE = named(SchemaBuilder.int32(), DateType.LOGICAL_NAME).build();
    private static final Schema MILLIS = named(SchemaBuilder.int32(), TimeType.LOGICAL_NAME).build();
    private static final Schema MICROS = named(SchemaBuilder.int64(), MicroTimeType.LOGICAL_NAME).build();
    private static final Schema NANOS = named(SchemaBuilder.int64(), NanoTimeType.LOGICAL_NAME).build();

    private static int day(int year, int month, int day) {
        return (int) LocalDate.of(year, month, day).toEpochDay();
    }

    @Test
    void datesFromEpochDays() {
        assertThat(copyText(DATE, 0)).isEqualTo("1970-01-01");
        assertThat(copyText(DATE, -1)).isEqualTo("1969-12-31");
        assertThat(copyText(DATE, day(2024, 2, 29))).isEqualTo("2024-02-29");
        assertThat(copyText(DATE, day(1600, 2, 29))).isEqualTo("1600-02-29");
        assertThat(copyText(DATE, day(-4713, 11, 24))).isEqualTo("4714-11-24 BC");
        assertThat(copyText(DATE, day(5_874_897, 12, 31))).isEqualTo("5874897-12-31");
        assertThatThrownBy(() -> copyText(DATE, day(5_874_898, 1, 1))).isInstanceOf(BadValueException.class)
                .hasMessageContaining("days since 1970-01-01 is outside PostgreSQL's date range");
        assertThatThrownBy(() -> copyText(DATE, 5L)).isInstanceOf(BadValueException.class)
                .hasMessageContaining("should be an int32");
    }

    @Test
    void postgresDateInfinitiesComeBackAsInfinities() {
        assertThat(copyText(DATE, (int) LocalDate.parse("-5877611-06-21").toEpochDay())).isEqualTo("infinity");
        assertThat(copyText(DATE, (int) LocalDate.parse("-5877611-06-22").toEpochDay())).isEqualTo("-infinity");
    }

    @Test
    void timesOfDayInEveryUnit() {
        assertThat(copyText(MILLIS, 0)).isEqualTo("00:00:00");
        assertThat(copyText(MILLIS, 45_296_007)).isEqualTo("12:34:56.007");
        assertThat(copyText(MICROS, 45_296_000_001L)).isEqualTo("12:34:56.000001");
        assertThat(copyText(MICROS, 86_400_000_000L)).as("PostgreSQL's 24:00:00").isEqualTo("24:00:00");
        assertThat(copyText(NANOS, 45_296_123_456_789L)).isEqualTo("12:34:56.123457");
        assertThat(copyText(NANOS, 45_296_123_456_499L)).isEqualTo("12:34:56.123456");
        assertThat(copyText(NANOS, 86_399_999_999_500L)).isEqualTo("24:00:00");
        assertThatThrownBy(() -> copyText(MICROS, -1L)).isInstanceOf(BadValueException.class)
                .hasMessage("time -1 µs is not a time of day between 00:00:00 and 24:00:00");
        assertThatThrownBy(() -> copyText(MICROS, 86_400_000_001L)).isInstanceOf(BadValueException.class);
        assertThatThrownBy(() -> copyText(MILLIS, -5)).isInstanceOf(BadValueException.class);
    }

    @Test
    void columnTypes() {
        assertThat(sqlType(DATE)).isEqualTo("date");
        assertThat(sqlType(MILLIS)).isEqualTo("time(3)");
        assertThat(sqlType(MICROS)).isEqualTo("time(6)");
        assertThat(sqlType(NANOS)).isEqualTo("time(6)");
        assertThat(sqlType(source(named(SchemaBuilder.int64(), MicroTimeType.LOGICAL_NAME), "TIME", 15, 4).build()))
                .isEqualTo("time(4)");
        assertThat(sqlType(source(named(SchemaBuilder.int32(), TimeType.LOGICAL_NAME), "TIME", 12, 0).build()))
                .isEqualTo("time(0)");
    }

    @Test
    void compatibility() {
        assertThat(incompatibility("date", DATE)).isNull();
        assertThat(incompatibility("timestamp(0) without time zone", DATE)).isNull();
        assertThat(incompatibility("timestamp with time zone", DATE)).isEqualTo("column type timestamp with time zone"
                + " cannot hold io.debezium.time.Date values: a date would become midnight in the session's time zone");
        assertThat(incompatibility("text", DATE)).isNotNull();
        assertThat(incompatibility("time without time zone", MICROS)).isNull();
        assertThat(incompatibility("time(3) without time zone", MILLIS)).isNull();
        assertThat(incompatibility("time(3) without time zone", MICROS)).isEqualTo("column type time(3) without time zone"
                + " cannot hold io.debezium.time.MicroTime values: fractional seconds would be rounded to 3 digits (the values have 6)");
        assertThat(incompatibility("time with time zone", MICROS)).isNotNull();
        assertThat(incompatibility("interval", MICROS)).isNotNull();
    }
}
