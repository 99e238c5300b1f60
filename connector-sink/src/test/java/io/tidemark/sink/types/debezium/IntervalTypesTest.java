package io.tidemark.sink.types.debezium;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.named;
import static io.tidemark.sink.types.TypeTesting.source;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tidemark.sink.types.BadValueException;

/** io.debezium.time.MicroDuration and Interval. */
class IntervalTypesTest {

    private static final Schema MICROS = named(SchemaBuilder.int64(), MicroDurationType.LOGICAL_NAME).build();
    private static final Schema YEAR_TO_MONTH = source(named(SchemaBuilder.int64(), MicroDurationType.LOGICAL_NAME),
            "INTERVAL YEAR(2) TO MONTH", 2, null).build();
    private static final Schema DAY_TO_SECOND = source(named(SchemaBuilder.int64(), MicroDurationType.LOGICAL_NAME),
            "INTERVAL DAY(2) TO SECOND(6)", 2, 6).build();
    private static final Schema ISO = named(SchemaBuilder.string(), IntervalType.LOGICAL_NAME).build();

    /** What Debezium's {@code MicroDuration.durationMicros(years, months, 0, 0, 0, 0, DAYS_PER_MONTH_AVG)} gives. */
    private static long debeziumMonths(int years, int months) {
        double days = ((years * 12) + months) * (365.25 / 12.0d) + 0;
        return (long) (((((days * 24 + 0) * 60) + 0) * 60 + 0.0) * 1e6 + 0);
    }

    @Test
    void microsecondsAreDaysAndATime() {
        assertThat(copyText(MICROS, 0L)).isEqualTo("00:00:00");
        assertThat(copyText(MICROS, 93_784_500_000L)).isEqualTo("1 days 02:03:04.5");
        assertThat(copyText(MICROS, -93_784_500_000L)).isEqualTo("-1 days -02:03:04.5");
        assertThat(copyText(MICROS, -1L)).isEqualTo("-00:00:00.000001");
        assertThat(copyText(MICROS, 86_400_000_000L * 400)).isEqualTo("400 days 00:00:00");
        assertThat(copyText(MICROS, Long.MIN_VALUE)).isEqualTo("-106751991 days -04:00:54.775808");
        assertThat(copyText(MICROS, debeziumMonths(0, 1))).as("without the source type a month is 30.4375 days")
                .isEqualTo("30 days 10:30:00");
    }

    @Test
    void yearToMonthSourcesGetTheirMonthsBack() {
        assertThat(copyText(YEAR_TO_MONTH, debeziumMonths(1, 2))).isEqualTo("14 mons");
        assertThat(copyText(YEAR_TO_MONTH, debeziumMonths(-3, -6))).isEqualTo("-42 mons");
        assertThat(copyText(YEAR_TO_MONTH, debeziumMonths(9_999, 11))).isEqualTo("119999 mons");
        assertThat(copyText(YEAR_TO_MONTH, debeziumMonths(999_999, 11))).as("Debezium saturates beyond 292,000 years")
                .isEqualTo(copyText(MICROS, Long.MAX_VALUE));
        assertThat(copyText(YEAR_TO_MONTH, 0L)).isEqualTo("0 mons");
        assertThat(copyText(YEAR_TO_MONTH, debeziumMonths(0, 1) + 1)).as("not a whole month: days and time")
                .isEqualTo("30 days 10:30:00.000001");
        assertThat(copyText(DAY_TO_SECOND, debeziumMonths(0, 1))).isEqualTo("30 days 10:30:00");
    }

    @ParameterizedTest
    @ValueSource(strings = {"P1Y2M3DT4H5M6.78S", "P-1Y-6M0DT0H0M0S", "P0Y0M-3DT-4H-5M-6.5S", "PT0S", "P2W", "P1D"})
    void isoDurationsAreCopiedAsTheyAre(String iso) {
        assertThat(copyText(ISO, iso)).isEqualTo(iso);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 day", "P", "PT", "P1Y2M3DT", "P1X", "P1H", "PT1D", "P1.Y", "P--1D", "P1D\t", "P1DT1H\\"})
    void malformedDurationsAreBadValues(String bad) {
        assertThatThrownBy(() -> copyText(ISO, bad)).isInstanceOf(BadValueException.class)
                .hasMessage("'" + bad + "' is not an ISO-8601 duration such as P1Y2M3DT4H5M6.78S");
    }

    @Test
    void columnTypesAndCompatibility() {
        assertThat(sqlType(MICROS)).isEqualTo("interval");
        assertThat(sqlType(YEAR_TO_MONTH)).isEqualTo("interval");
        assertThat(sqlType(ISO)).isEqualTo("interval");
        assertThat(incompatibility("interval", MICROS)).isNull();
        assertThat(incompatibility("interval(6)", ISO)).isNull();
        assertThat(incompatibility("interval(3)", MICROS)).isEqualTo("column type interval(3) cannot hold"
                + " io.debezium.time.MicroDuration values: fractional seconds would be rounded to 3 digits (the values have 6)");
        assertThat(incompatibility("interval year to month", YEAR_TO_MONTH)).isNull();
        assertThat(incompatibility("interval year to month", DAY_TO_SECOND)).isEqualTo("column type interval year to month"
                + " cannot hold INTERVAL DAY(2) TO SECOND(6) values: an interval restricted to year to month drops the other fields");
        assertThat(incompatibility("interval day to second", MICROS)).isNotNull();
        assertThat(incompatibility("bigint", MICROS)).isEqualTo("column type bigint cannot hold io.debezium.time.MicroDuration values");
    }
}
