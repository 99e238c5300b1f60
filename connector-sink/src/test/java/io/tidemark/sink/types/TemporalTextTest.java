package io.tidemark.sink.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class TemporalTextTest {

    private static String write(Consumer<CopyTextWriter> writing) {
        CopyTextWriter out = new CopyTextWriter(1);
        writing.accept(out);
        return out.toString();
    }

    private static String date(LocalDate d) {
        return write(out -> TemporalText.appendDate(out, d.toEpochDay(), d, null));
    }

    @Test
    void writesDatesAsPostgresSpellsThem() {
        assertThat(date(LocalDate.of(1970, 1, 1))).isEqualTo("1970-01-01");
        assertThat(date(LocalDate.of(1969, 12, 31))).isEqualTo("1969-12-31");
        assertThat(date(LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
        assertThat(date(LocalDate.of(2000, 2, 29))).isEqualTo("2000-02-29");
        assertThat(date(LocalDate.of(1900, 3, 1))).isEqualTo("1900-03-01");
        assertThat(date(LocalDate.of(999, 12, 31))).isEqualTo("0999-12-31");
        assertThat(date(LocalDate.of(1, 1, 1))).isEqualTo("0001-01-01");
        assertThat(date(LocalDate.of(0, 12, 31))).as("year 0 is 1 BC").isEqualTo("0001-12-31 BC");
        assertThat(date(LocalDate.of(-43, 3, 15))).isEqualTo("0044-03-15 BC");
        assertThat(date(LocalDate.of(-4713, 11, 24))).isEqualTo("4714-11-24 BC");
        assertThat(date(LocalDate.of(9999, 12, 31))).isEqualTo("9999-12-31");
        assertThat(date(LocalDate.of(10000, 1, 1))).isEqualTo("10000-01-01");
        assertThat(date(LocalDate.of(5_874_897, 12, 31))).isEqualTo("5874897-12-31");
    }

    @Test
    void refusesDatesOutsidePostgresRange() {
        assertThatThrownBy(() -> date(LocalDate.of(-4713, 11, 23))).isInstanceOf(BadValueException.class)
                .hasMessageContaining("outside PostgreSQL's date range");
        assertThatThrownBy(() -> date(LocalDate.of(5_874_898, 1, 1))).isInstanceOf(BadValueException.class);
        assertThatThrownBy(() -> write(out -> TemporalText.appendDate(out, Integer.MIN_VALUE, Integer.MIN_VALUE, "days")))
                .hasMessage("date -2147483648 days is outside PostgreSQL's date range (4714-11-24 BC to 5874897-12-31)");
    }

    @Test
    void agreesWithJavaTimeOnEveryDayOfManyCenturies() {
        DateTimeFormatter iso = DateTimeFormatter.ofPattern("uuuu-MM-dd");
        for (long day = TemporalText.MIN_EPOCH_DAY; day < 1_000_000; day += 13) {
            LocalDate d = LocalDate.ofEpochDay(day);
            String expected = d.getYear() > 0 ? d.format(iso)
                    : String.format("%04d-%02d-%02d BC", 1 - d.getYear(), d.getMonthValue(), d.getDayOfMonth());
            long epochDay = day;
            assertThat(write(out -> TemporalText.appendDate(out, epochDay, null, null))).isEqualTo(expected);
        }
    }

    @Test
    void writesTimestampsFromEveryUnit() {
        assertThat(write(out -> TemporalText.appendTimestampMillis(out, 0))).isEqualTo("1970-01-01 00:00:00");
        assertThat(write(out -> TemporalText.appendTimestampMillis(out, -1))).isEqualTo("1969-12-31 23:59:59.999");
        assertThat(write(out -> TemporalText.appendTimestampMillis(out, 951_782_400_500L))).isEqualTo("2000-02-29 00:00:00.5");
        assertThat(write(out -> TemporalText.appendTimestampMicros(out, -1))).isEqualTo("1969-12-31 23:59:59.999999");
        assertThat(write(out -> TemporalText.appendTimestampMicros(out, 1_234_567)))
                .isEqualTo("1970-01-01 00:00:01.234567");
        assertThat(write(out -> TemporalText.appendTimestampMicros(out, Long.MAX_VALUE)))
                .isEqualTo("294247-01-10 04:00:54.775807");
        long bc = LocalDateTime.of(-43, 3, 15, 12, 30, 1).toEpochSecond(ZoneOffset.UTC) * 1_000_000 + 10;
        assertThat(write(out -> TemporalText.appendTimestampMicros(out, bc))).isEqualTo("0044-03-15 12:30:01.00001 BC");
    }

    @Test
    void roundsNanosToTheNearestMicrosecondHalvesUp() {
        assertThat(TemporalText.nanosToMicros(1_499)).isEqualTo(1);
        assertThat(TemporalText.nanosToMicros(1_500)).isEqualTo(2);
        assertThat(TemporalText.nanosToMicros(-500)).as("a half goes to the later instant").isZero();
        assertThat(TemporalText.nanosToMicros(-501)).isEqualTo(-1);
        assertThat(TemporalText.nanosToMicros(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE / 1000 + 1);
        assertThat(TemporalText.nanosToMicros(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE / 1000 - 1);
        assertThat(write(out -> TemporalText.appendTimestampNanos(out, 86_399_999_999_500L)))
                .as("rounding carries into the next day").isEqualTo("1970-01-02 00:00:00");
        assertThat(write(out -> TemporalText.appendTimestampNanos(out, -500))).isEqualTo("1970-01-01 00:00:00");
        assertThat(write(out -> TemporalText.appendTimestampNanos(out, -1_000_000_001L)))
                .isEqualTo("1969-12-31 23:59:59");
        assertThat(write(out -> TemporalText.appendTimestampNanos(out, Long.MIN_VALUE)))
                .isEqualTo("1677-09-21 00:12:43.145224");
    }

    @Test
    void knowsPostgresTimestampRange() {
        long min = TemporalText.MIN_EPOCH_DAY * TemporalText.MICROS_PER_DAY;
        assertThat(write(out -> TemporalText.appendTimestampMicros(out, min))).isEqualTo("4714-11-24 00:00:00 BC");
        assertThatThrownBy(() -> write(out -> TemporalText.appendTimestampMicros(out, min - 1)))
                .isInstanceOf(BadValueException.class)
                .hasMessage("timestamp " + (min - 1) + " µs since 1970-01-01 is outside PostgreSQL's timestamp range"
                        + " (4714-11-24 BC to 294276-12-31)");
        assertThatThrownBy(() -> write(out -> TemporalText.appendTimestampMillis(out, Long.MAX_VALUE)))
                .isInstanceOf(BadValueException.class).hasMessageContaining("ms since 1970-01-01");
        long lastDay = TemporalText.MAX_TIMESTAMP_EPOCH_DAY;
        assertThat(write(out -> TemporalText.appendTimestamp(out, lastDay, TemporalText.MICROS_PER_DAY - 1, null, "x", null)))
                .isEqualTo("294276-12-31 23:59:59.999999");
        assertThatThrownBy(() -> write(out -> TemporalText.appendTimestamp(out, lastDay + 1, 0, null, "x", null)))
                .isInstanceOf(BadValueException.class);
        assertThat(write(out -> TemporalText.appendTimestamp(out, lastDay, 0, 3600, "x", null)))
                .as("the range is checked in UTC").isEqualTo("294276-12-31 00:00:00+01:00");
        assertThatThrownBy(() -> write(out -> TemporalText.appendTimestamp(out, lastDay, TemporalText.MICROS_PER_DAY - 1,
                -3600, "x", null))).isInstanceOf(BadValueException.class);
    }

    @Test
    void writesTimesOfDayAndOffsets() {
        assertThat(write(out -> TemporalText.appendTimeOfDay(out, 0))).isEqualTo("00:00:00");
        assertThat(write(out -> TemporalText.appendTimeOfDay(out, TemporalText.MICROS_PER_DAY))).isEqualTo("24:00:00");
        assertThat(write(out -> TemporalText.appendTimeOfDay(out, 45_296_500_000L))).isEqualTo("12:34:56.5");
        assertThat(write(out -> TemporalText.appendTimeOfDay(out, 1))).isEqualTo("00:00:00.000001");
        assertThat(write(out -> TemporalText.appendTimeOfDay(out, 86_399_999_999L))).isEqualTo("23:59:59.999999");
        assertThat(write(out -> TemporalText.appendOffset(out, 0))).isEqualTo("+00:00");
        assertThat(write(out -> TemporalText.appendOffset(out, 19_800))).isEqualTo("+05:30");
        assertThat(write(out -> TemporalText.appendOffset(out, -28_800))).isEqualTo("-08:00");
        assertThat(write(out -> TemporalText.appendOffset(out, 561))).isEqualTo("+00:09:21");
    }

    @Test
    void agreesWithJavaTimeOnRandomMicros() {
        Random random = new Random(42);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
        for (int i = 0; i < 20_000; i++) {
            long micros = random.nextLong() % 200_000_000_000_000_000L; // ±6300 years
            LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000), 0, ZoneOffset.UTC)
                    .plusNanos(Math.floorMod(micros, 1_000_000) * 1000);
            String written = write(out -> TemporalText.appendTimestampMicros(out, micros));
            String expected = t.getYear() > 0 ? t.format(f)
                    : String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d BC", 1 - t.getYear(), t.getMonthValue(),
                            t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
            expected = expected.replaceAll("(\\.\\d*?)0+( BC)?$", "$1$2").replaceAll("\\.( BC)?$", "$1");
            assertThat(written).as("%d µs", micros).isEqualTo(expected);
        }
    }
}
