package io.tidemark.sink.types;

import java.time.LocalDate;

/**
 * Dates, times and timestamps in the text form PostgreSQL reads back exactly
 * ({@code 2024-02-29 13:45:00.5}, {@code 0044-03-15 12:00:00 BC}, {@code 10000-01-01}), written
 * straight from epoch numbers into a {@link CopyTextWriter}: no java.time objects, no strings.
 *
 * <p>The calendar is the proleptic Gregorian one, as in PostgreSQL and java.time. Values outside
 * PostgreSQL's range are a {@link BadValueException} here rather than a failed {@code COPY} later.
 * Sub-microsecond values are rounded to the nearest microsecond, halves towards the later instant
 * ({@link #nanosToMicros(long)}), because PostgreSQL keeps microseconds.
 */
public final class TemporalText {

    public static final long MICROS_PER_DAY = 86_400_000_000L;
    public static final long MILLIS_PER_DAY = 86_400_000L;
    public static final long NANOS_PER_DAY = 86_400_000_000_000L;

    /** 4714-11-24 BC, Julian day 0: the first day of PostgreSQL's date and timestamp range. */
    public static final long MIN_EPOCH_DAY = -2_440_588L;
    /** 294276-12-31: the last day of PostgreSQL's timestamp range. */
    public static final long MAX_TIMESTAMP_EPOCH_DAY = LocalDate.of(294_276, 12, 31).toEpochDay();
    /** 5874897-12-31: the last day of PostgreSQL's date range. */
    public static final long MAX_DATE_EPOCH_DAY = LocalDate.of(5_874_897, 12, 31).toEpochDay();
    /** The days whose year has four digits and no era: {@code YYYY-MM-DD}. */
    private static final long FIRST_FOUR_DIGIT_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long LAST_FOUR_DIGIT_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private TemporalText() {
    }

    /**
     * Rounds nanoseconds to the nearest microsecond, a half towards the later instant (so
     * {@code ...0.0000005} becomes {@code ...0.000001} and {@code -0.0000005} becomes {@code 0}).
     * Never overflows.
     */
    public static long nanosToMicros(long nanos) {
        return Math.floorDiv(nanos, 1000) + (Math.floorMod(nanos, 1000) >= 500 ? 1 : 0);
    }

    /** A date: {@code YYYY-MM-DD}, {@code YYYY-MM-DD BC} for year 0 and before. */
    public static void appendDate(CopyTextWriter out, long epochDay, Object value, String unit) {
        checkDate(epochDay, value, unit);
        if (appendYearMonthDay(out, epochDay)) {
            out.appendAscii(" BC");
        }
    }

    /** A timestamp without time zone from milliseconds since 1970-01-01T00:00 (a local date-time). */
    public static void appendTimestampMillis(CopyTextWriter out, long epochMillis) {
        appendTimestamp(out, Math.floorDiv(epochMillis, MILLIS_PER_DAY),
                Math.floorMod(epochMillis, MILLIS_PER_DAY) * 1000, null, epochMillis, "ms since 1970-01-01");
    }

    /** A timestamp without time zone from microseconds since 1970-01-01T00:00. */
    public static void appendTimestampMicros(CopyTextWriter out, long epochMicros) {
        appendTimestamp(out, Math.floorDiv(epochMicros, MICROS_PER_DAY),
                Math.floorMod(epochMicros, MICROS_PER_DAY), null, epochMicros, "µs since 1970-01-01");
    }

    /** A timestamp without time zone from nanoseconds since 1970-01-01T00:00, rounded to microseconds. */
    public static void appendTimestampNanos(CopyTextWriter out, long epochNanos) {
        long day = Math.floorDiv(epochNanos, NANOS_PER_DAY);
        long micros = nanosToMicros(Math.floorMod(epochNanos, NANOS_PER_DAY));
        if (micros == MICROS_PER_DAY) {
            day++;
            micros = 0;
        }
        appendTimestamp(out, day, micros, null, epochNanos, "ns since 1970-01-01");
    }

    /**
     * A timestamp: {@code YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM[:SS]][ BC]}.
     *
     * @param offsetSeconds the UTC offset to write after the time (for {@code timestamptz}), or null
     * @param value         the value as it arrived, for the error message
     */
    public static void appendTimestamp(CopyTextWriter out, long epochDay, long microOfDay, Integer offsetSeconds,
                                       Object value, String unit) {
        long utcDay = epochDay;
        if (offsetSeconds != null) {
            utcDay = epochDay + Math.floorDiv(microOfDay - offsetSeconds * 1_000_000L, MICROS_PER_DAY);
        }
        checkTimestamp(utcDay, value, unit);
        boolean bc = appendYearMonthDay(out, epochDay);
        out.appendByte(' ');
        appendTimeOfDay(out, microOfDay);
        if (offsetSeconds != null) {
            appendOffset(out, offsetSeconds);
        }
        if (bc) {
            out.appendAscii(" BC");
        }
    }

    /** PostgreSQL's binary {@code date} (days since 2000-01-01), refused where the text form is. */
    public static int pgDate(long epochDay, Object value, String unit) {
        checkDate(epochDay, value, unit);
        return (int) (epochDay - CopyBinaryWriter.PG_EPOCH_DAYS);
    }

    /** PostgreSQL's binary {@code timestamp} (µs since 2000-01-01) from µs since 1970, refused where the text form is. */
    public static long pgTimestamp(long epochMicros, Object value, String unit) {
        checkTimestamp(Math.floorDiv(epochMicros, MICROS_PER_DAY), value, unit);
        return epochMicros - CopyBinaryWriter.PG_EPOCH_MICROS;
    }

    /** The same from milliseconds since 1970. */
    public static long pgTimestampMillis(long epochMillis) {
        checkTimestamp(Math.floorDiv(epochMillis, MILLIS_PER_DAY), epochMillis, "ms since 1970-01-01");
        return epochMillis * 1000 - CopyBinaryWriter.PG_EPOCH_MICROS;
    }

    /**
     * The bytes {@link #appendDate} writes for PostgreSQL's binary {@code date} {@code pgDays}, or
     * the bytes of {@code infinity} and {@code -infinity} for its infinities.
     */
    public static int dateLength(int pgDays) {
        if (pgDays == Integer.MAX_VALUE || pgDays == Integer.MIN_VALUE) {
            return infinityLength(pgDays > 0);
        }
        return yearMonthDayLength(pgDays + (long) CopyBinaryWriter.PG_EPOCH_DAYS);
    }

    /**
     * The bytes {@link #appendTimestamp} writes (without an offset) for PostgreSQL's binary
     * {@code timestamp} {@code pgMicros}, or those of {@code infinity} and {@code -infinity}.
     */
    public static int timestampLength(long pgMicros) {
        if (pgMicros == Long.MAX_VALUE || pgMicros == Long.MIN_VALUE) {
            return infinityLength(pgMicros > 0);
        }
        // whole days from 2000-01-01 to 1970-01-01: no overflow near the range's ends
        long epochDay = Math.floorDiv(pgMicros, MICROS_PER_DAY) + CopyBinaryWriter.PG_EPOCH_DAYS;
        long micros = Math.floorMod(pgMicros, MICROS_PER_DAY) % 1_000_000;
        return yearMonthDayLength(epochDay) + " HH:MM:SS".length() + fractionLength(micros);
    }

    private static int infinityLength(boolean positive) {
        return positive ? "infinity".length() : "-infinity".length();
    }

    /** What {@link #appendFraction} writes. */
    private static int fractionLength(long micros) {
        if (micros == 0) {
            return 0;
        }
        int digits = 6;
        while (micros % 10 == 0) {
            micros /= 10;
            digits--;
        }
        return 1 + digits;
    }

    /** What {@link #appendYearMonthDay} writes, with the {@code " BC"} its caller appends. */
    private static int yearMonthDayLength(long epochDay) {
        if (epochDay >= FIRST_FOUR_DIGIT_DAY && epochDay <= LAST_FOUR_DIGIT_DAY) {
            return "YYYY-MM-DD".length();
        }
        long year = LocalDate.ofEpochDay(epochDay).getYear();
        boolean bc = year <= 0;
        long shown = bc ? 1 - year : year;
        return (shown > 9999 ? CopyTextWriter.longLength(shown) : 4) + "-MM-DD".length() + (bc ? " BC".length() : 0);
    }

    private static void checkDate(long epochDay, Object value, String unit) {
        if (epochDay < MIN_EPOCH_DAY || epochDay > MAX_DATE_EPOCH_DAY) {
            throw outOfRange("date", value, unit, "4714-11-24 BC to 5874897-12-31");
        }
    }

    private static void checkTimestamp(long utcDay, Object value, String unit) {
        if (utcDay < MIN_EPOCH_DAY || utcDay > MAX_TIMESTAMP_EPOCH_DAY) {
            throw outOfRange("timestamp", value, unit, "4714-11-24 BC to 294276-12-31");
        }
    }

    /**
     * A time of day, {@code HH:MM:SS[.ffffff]}, trailing zeros of the fraction left out. Accepts
     * {@code 24:00:00}, which PostgreSQL's {@code time} holds.
     */
    public static void appendTimeOfDay(CopyTextWriter out, long microOfDay) {
        if (microOfDay < 0 || microOfDay > MICROS_PER_DAY) {
            throw new IllegalArgumentException("not a time of day: " + microOfDay + " µs");
        }
        long seconds = microOfDay / 1_000_000;
        out.appendPadded(seconds / 3600, 2).appendByte(':')
                .appendPadded(seconds / 60 % 60, 2).appendByte(':')
                .appendPadded(seconds % 60, 2);
        appendFraction(out, microOfDay % 1_000_000);
    }

    /** {@code .ffffff} without trailing zeros, or nothing for a whole second. */
    public static void appendFraction(CopyTextWriter out, long micros) {
        if (micros == 0) {
            return;
        }
        int digits = 6;
        while (micros % 10 == 0) {
            micros /= 10;
            digits--;
        }
        out.appendByte('.').appendPadded(micros, digits);
    }

    /** A UTC offset: {@code +HH:MM}, or {@code +HH:MM:SS} when it has seconds (historic local mean times). */
    public static void appendOffset(CopyTextWriter out, int offsetSeconds) {
        out.appendByte(offsetSeconds < 0 ? '-' : '+');
        int abs = Math.abs(offsetSeconds);
        out.appendPadded(abs / 3600, 2).appendByte(':').appendPadded(abs / 60 % 60, 2);
        if (abs % 60 != 0) {
            out.appendByte(':').appendPadded(abs % 60, 2);
        }
    }

    /** Whether a Gregorian year is a leap year (year 0 is 1 BC, a leap year). */
    public static boolean isLeapYear(long year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /**
     * Writes {@code YYYY-MM-DD} for a day since 1970-01-01 (H. Hinnant's days-to-civil), the year as
     * PostgreSQL numbers it: 1 BC is written 0001 and reported back so the caller appends " BC".
     */
    private static boolean appendYearMonthDay(CopyTextWriter out, long epochDay) {
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        boolean bc = year <= 0;
        long shown = bc ? 1 - year : year;
        if (shown > 9999) {
            out.appendLong(shown);
        } else {
            out.appendPadded(shown, 4);
        }
        out.appendByte('-')
                .appendPadded(month, 2).appendByte('-')
                .appendPadded(day, 2);
        return bc;
    }

    private static BadValueException outOfRange(String what, Object value, String unit, String range) {
        return new BadValueException(what + " " + value + (unit == null ? "" : " " + unit)
                + " is outside PostgreSQL's " + what + " range (" + range + ")");
    }
}
