package io.tidemark.sink.types.connect;

import static io.tidemark.sink.types.TypeTesting.copyText;
import static io.tidemark.sink.types.TypeTesting.incompatibility;
import static io.tidemark.sink.types.TypeTesting.source;
import static io.tidemark.sink.types.TypeTesting.sqlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.types.BadValueException;

/** Connect's Date, Time and Timestamp ({@code time.precision.mode=connect}): java.util.Date values. */
class ConnectTemporalTypesTest {

    private static final Schema DATE = org.apache.kafka.connect.data.Date.SCHEMA;

    private static Date at(LocalDateTime t) {
        return new Date(t.toInstant(ZoneOffset.UTC).toEpochMilli());
    }

    @Test
    void datesAreDaysWhateverTheSign() {
        assertThat(copyText(DATE, at(LocalDate.of(2024, 2, 29).atStartOfDay()))).isEqualTo("2024-02-29");
        assertThat(copyText(DATE, at(LocalDate.of(1969, 12, 31).atStartOfDay()))).isEqualTo("1969-12-31");
        assertThat(copyText(DATE, at(LocalDate.of(-43, 3, 15).atStartOfDay()))).isEqualTo("0044-03-15 BC");
        assertThat(copyText(DATE, at(LocalDate.of(12345, 1, 1).atStartOfDay()))).isEqualTo("12345-01-01");
        assertThatThrownBy(() -> copyText(DATE, 19_000)).isInstanceOf(BadValueException.class)
                .hasMessageContaining("java.util.Date");
        assertThat(sqlType(DATE)).isEqualTo("date");
    }

    @Test
    void timesAreMillisecondsOfTheDay() {
        assertThat(copyText(Time.SCHEMA, new Date(45_296_500))).isEqualTo("12:34:56.5");
        assertThat(copyText(Time.SCHEMA, new Date(0))).isEqualTo("00:00:00");
        assertThat(copyText(Time.SCHEMA, new Date(86_399_999))).isEqualTo("23:59:59.999");
        assertThatThrownBy(() -> copyText(Time.SCHEMA, new Date(-1))).isInstanceOf(BadValueException.class)
                .hasMessage("time -1 ms is not a time of day between 00:00:00 and 24:00:00");
        assertThatThrownBy(() -> copyText(Time.SCHEMA, new Date(Long.MAX_VALUE))).isInstanceOf(BadValueException.class);
        assertThat(sqlType(Time.SCHEMA)).isEqualTo("time(3)");
    }

    @Test
    void timestampsAreLocalDateTimes() {
        assertThat(copyText(Timestamp.SCHEMA, new Date(-1))).isEqualTo("1969-12-31 23:59:59.999");
        assertThat(copyText(Timestamp.SCHEMA, at(LocalDateTime.of(999, 1, 2, 3, 4, 5)))).isEqualTo("0999-01-02 03:04:05");
        assertThat(copyText(Timestamp.SCHEMA, at(LocalDateTime.of(0, 2, 29, 23, 0))))
                .as("1 BC was a leap year").isEqualTo("0001-02-29 23:00:00 BC");
    }

    @Test
    void timestampColumnsFollowTheSource() {
        assertThat(sqlType(Timestamp.SCHEMA)).isEqualTo("timestamp(3)");
        assertThat(sqlType(source(Timestamp.builder(), "DATE", null, null).build())).isEqualTo("timestamp(0)");
        assertThat(sqlType(source(Timestamp.builder(), "TIMESTAMP(6)", 6, null).build()))
                .as("the column mirrors the declaration; the values were cut to milliseconds at the source")
                .isEqualTo("timestamp(6)");
        assertThat(sqlType(source(Timestamp.builder(), "TIMESTAMP(9)", 9, null).build())).isEqualTo("timestamp(6)");
    }

    @Test
    void compatibility() {
        Schema ts6 = source(Timestamp.builder(), "TIMESTAMP(6)", 6, null).build();
        assertThat(incompatibility("timestamp(3) without time zone", ts6)).as("the values only have milliseconds").isNull();
        assertThat(incompatibility("timestamp(2) without time zone", ts6)).isEqualTo("column type timestamp(2) without"
                + " time zone cannot hold TIMESTAMP(6) values: fractional seconds would be rounded to 2 digits"
                + " (the values have 3)");
        assertThat(incompatibility("timestamp(0) without time zone", source(Timestamp.builder(), "DATE", null, null).build()))
                .isNull();
        assertThat(incompatibility("timestamp with time zone", Timestamp.SCHEMA)).contains("session's time zone");
        assertThat(incompatibility("date", DATE)).isNull();
        assertThat(incompatibility("timestamp without time zone", DATE)).isNull();
        assertThat(incompatibility("timestamp with time zone", DATE)).isNotNull();
        assertThat(incompatibility("time(3) without time zone", Time.SCHEMA)).isNull();
        assertThat(incompatibility("time(0) without time zone", Time.SCHEMA)).isNotNull();
        assertThat(incompatibility("time with time zone", Time.SCHEMA)).contains("without time zone");
    }
}
