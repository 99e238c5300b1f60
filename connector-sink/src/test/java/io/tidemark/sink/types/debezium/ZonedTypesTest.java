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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;

/** io.debezium.time.ZonedTimestamp and ZonedTime: ISO-8601 strings with offset. */
class ZonedTypesTest {

    private static final Schema TSTZ = named(SchemaBuilder.string(), ZonedTimestampType.LOGICAL_NAME).build();
    private static final Schema TIMETZ = named(SchemaBuilder.string(), ZonedTimeType.LOGICAL_NAME).build();

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T13:45:00.123456+02:00", "2020-01-01T00:00:00Z", "2020-01-01T10:15Z",
            "1850-01-01T00:00:00+00:09:21", "0001-01-01T00:00:00.5-15:59", "9999-12-31T23:59:59.999999Z", "infinity",
            "-infinity"})
    void theCommonShapeIsCopiedAsItIs(String iso) {
        assertThat(copyText(TSTZ, iso)).isEqualTo(iso);
    }

    @Test
    void moreThanSixFractionalDigitsAreRoundedHalfUp() {
        assertThat(copyText(TSTZ, "2020-01-01T10:15:30.1234565Z")).isEqualTo("2020-01-01 10:15:30.123457+00:00");
        assertThat(copyText(TSTZ, "2020-01-01T10:15:30.123456499+05:30")).isEqualTo("2020-01-01 10:15:30.123456+05:30");
        assertThat(copyText(TSTZ, "2020-12-31T23:59:59.9999995+01:00")).isEqualTo("2021-01-01 00:00:00+01:00");
    }

    @Test
    void yearsBeyondFourDigitsAndBeforeOneAreRespelled() {
        assertThat(copyText(TSTZ, "+10000-01-01T00:00:00Z")).isEqualTo("10000-01-01 00:00:00+00:00");
        assertThat(copyText(TSTZ, "-0043-03-15T12:00:00+01:00")).isEqualTo("0044-03-15 12:00:00+01:00 BC");
        assertThat(copyText(TSTZ, "0000-02-29T00:00:00Z")).as("year 0 is 1 BC, a leap year")
                .isEqualTo("0001-02-29 00:00:00+00:00 BC");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2020-02-30T00:00:00Z", "2021-02-29T00:00:00Z", "2020-01-01T00:00:00", "2020-01-01 00:00:00Z",
            "garbage", "", "2020-01-01T24:00:00Z", "2020-01-01T00:00:00+16:00", "2020-01-01T00:00:00Z\tx",
            "2020-13-01T00:00:00Z"})
    void malformedStringsAreBadValuesNamingThemselves(String bad) {
        assertThatThrownBy(() -> copyText(TSTZ, bad)).isInstanceOf(BadValueException.class).hasMessageContaining("'" + bad + "'");
    }

    @Test
    void zonedTimes() {
        assertThat(copyText(TIMETZ, "10:15:30Z")).isEqualTo("10:15:30Z");
        assertThat(copyText(TIMETZ, "10:15:30.5+05:30")).isEqualTo("10:15:30.5+05:30");
        assertThat(copyText(TIMETZ, "10:15:30.123456789+02:00")).isEqualTo("10:15:30.123457+02:00");
        assertThat(copyText(TIMETZ, "23:59:59.9999995Z")).isEqualTo("24:00:00+00:00");
        assertThatThrownBy(() -> copyText(TIMETZ, "25:00:00Z")).isInstanceOf(BadValueException.class)
                .hasMessage("'25:00:00Z' is not an ISO-8601 time with a UTC offset");
        assertThatThrownBy(() -> copyText(TIMETZ, 5)).isInstanceOf(BadValueException.class);
    }

    @Test
    void columnTypes() {
        assertThat(sqlType(TSTZ)).isEqualTo("timestamptz");
        assertThat(sqlType(source(named(SchemaBuilder.string(), ZonedTimestampType.LOGICAL_NAME),
                "TIMESTAMP(3) WITH TIME ZONE", 13, 3).build())).isEqualTo("timestamptz(3)");
        assertThat(sqlType(source(named(SchemaBuilder.string(), ZonedTimestampType.LOGICAL_NAME),
                "TIMESTAMP WITH LOCAL TIME ZONE", 9, null).build())).isEqualTo("timestamptz(6)");
        assertThat(sqlType(source(named(SchemaBuilder.string(), ZonedTimestampType.LOGICAL_NAME),
                "TIMESTAMPTZ", 35, 6).build())).isEqualTo("timestamptz(6)");
        assertThat(sqlType(TIMETZ)).isEqualTo("timetz");
    }

    @Test
    void compatibility() {
        assertThat(incompatibility("timestamp with time zone", TSTZ)).isNull();
        assertThat(incompatibility("timestamp(3) with time zone", TSTZ)).isEqualTo("column type timestamp(3) with time zone"
                + " cannot hold io.debezium.time.ZonedTimestamp values: fractional seconds would be rounded to 3 digits"
                + " (the values have 6)");
        Schema tz3 = source(named(SchemaBuilder.string(), ZonedTimestampType.LOGICAL_NAME),
                "TIMESTAMP(3) WITH TIME ZONE", 13, 3).build();
        assertThat(incompatibility("timestamp(3) with time zone", tz3)).isNull();
        assertThat(incompatibility("timestamp(6) without time zone", tz3)).isEqualTo("column type timestamp(6) without"
                + " time zone cannot hold TIMESTAMP(3) WITH TIME ZONE values: a timestamp without time zone would drop"
                + " the values' UTC offsets");
        assertThat(incompatibility("text", TSTZ)).isNotNull();
        assertThat(incompatibility("time with time zone", TIMETZ)).isNull();
        assertThat(incompatibility("time without time zone", TIMETZ)).contains("UTC offsets");
    }
}
