package io.tidemark.sink.types;

import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The ISO-8601 strings Debezium sends for zoned timestamps, zoned times and string intervals,
 * checked and written for PostgreSQL.
 *
 * <p>The common shape ({@code 2024-02-29T13:45:00.123456+02:00}, four-digit year, at most six
 * fractional digits) is checked character by character, including the day of the month, and
 * copied as it is: PostgreSQL reads it as it stands. Anything else goes the slow way through
 * java.time: years beyond 9999 or before 1 ({@code +10000-…}, {@code -0043-…}), which PostgreSQL
 * spells differently, and more than six fractional digits, which are rounded here the way
 * {@link TemporalText#nanosToMicros(long)} rounds, not left to PostgreSQL. A string neither way
 * accepts is a {@link BadValueException} quoting it.
 */
public final class IsoTemporalText {

    /** PostgreSQL refuses UTC offsets of 16 hours or more ("time zone displacement out of range"). */
    private static final int MAX_OFFSET_SECONDS = 16 * 3600 - 1;

    private IsoTemporalText() {
    }

    /** A {@code timestamptz} from an ISO-8601 date-time with offset, or PostgreSQL's {@code infinity}/{@code -infinity}. */
    public static void appendZonedTimestamp(CopyTextWriter out, String s) {
        if (isPlainZonedTimestamp(s) || s.equals("infinity") || s.equals("-infinity")) {
            out.appendAscii(s);
            return;
        }
        OffsetDateTime t = parseZonedTimestamp(s);
        int offset = checkedOffset(t.getOffset().getTotalSeconds(), s);
        long day = t.toLocalDate().toEpochDay();
        long micros = TemporalText.nanosToMicros(t.toLocalTime().toNanoOfDay());
        if (micros == TemporalText.MICROS_PER_DAY) {
            day++;
            micros = 0;
        }
        TemporalText.appendTimestamp(out, day, micros, offset, "'" + s + "'", null);
    }

    /** The bytes {@link #appendZonedTimestamp} writes: the string itself in the common shape. */
    public static int zonedTimestampLength(String s) {
        if (isPlainZonedTimestamp(s) || s.equals("infinity") || s.equals("-infinity")) {
            return s.length();
        }
        CopyTextWriter text = new CopyTextWriter(64); // the rare shapes: measured by writing them
        appendZonedTimestamp(text, s);
        return text.length();
    }

    /**
     * PostgreSQL's binary {@code timestamptz} (µs since 2000-01-01 UTC) of what
     * {@link #appendZonedTimestamp} writes as text: the same strings accepted, the same rounding,
     * {@code infinity} as {@link Long#MAX_VALUE} and {@code -infinity} as {@link Long#MIN_VALUE}.
     */
    public static long pgZonedTimestamp(String s) {
        if (isPlainZonedTimestamp(s)) {
            long day = java.time.LocalDate.of(number(s, 0, 4), number(s, 5, 2), number(s, 8, 2)).toEpochDay();
            long micros = (number(s, 11, 2) * 3600L + number(s, 14, 2) * 60L) * 1_000_000L;
            int i = 16;
            if (s.charAt(i) == ':') {
                micros += number(s, i + 1, 2) * 1_000_000L;
                i += 3;
                if (s.charAt(i) == '.') {
                    int start = ++i;
                    long fraction = 0;
                    while (isDigit(s.charAt(i))) {
                        fraction = fraction * 10 + (s.charAt(i++) - '0');
                    }
                    for (int d = i - start; d < 6; d++) {
                        fraction *= 10;
                    }
                    micros += fraction;
                }
            }
            return utcMicros(day, micros, offsetSeconds(s, i), s);
        }
        if (s.equals("infinity")) {
            return Long.MAX_VALUE;
        }
        if (s.equals("-infinity")) {
            return Long.MIN_VALUE;
        }
        OffsetDateTime t = parseZonedTimestamp(s);
        int offset = checkedOffset(t.getOffset().getTotalSeconds(), s);
        return utcMicros(t.toLocalDate().toEpochDay(), TemporalText.nanosToMicros(t.toLocalTime().toNanoOfDay()), offset, s);
    }

    private static OffsetDateTime parseZonedTimestamp(String s) {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new BadValueException("'" + s + "' is not an ISO-8601 timestamp with a UTC offset");
        }
    }

    private static long utcMicros(long day, long microOfDay, int offsetSeconds, String s) {
        long utc = day * TemporalText.MICROS_PER_DAY + microOfDay - offsetSeconds * 1_000_000L;
        return TemporalText.pgTimestamp(utc, "'" + s + "'", null);
    }

    /** The offset a plain zoned timestamp ends with at {@code i} ({@code Z} or {@code ±HH[:MM[:SS]]}), in seconds. */
    private static int offsetSeconds(String s, int i) {
        if (s.charAt(i) == 'Z') {
            return 0;
        }
        int seconds = number(s, i + 1, 2) * 3600;
        int factor = 60;
        for (int j = i + 3; j < s.length(); j += 3, factor /= 60) {
            seconds += number(s, j + 1, 2) * factor;
        }
        return s.charAt(i) == '-' ? -seconds : seconds;
    }

    /** A {@code timetz} from an ISO-8601 time with offset. */
    public static void appendZonedTime(CopyTextWriter out, String s) {
        if (isPlainZonedTime(s)) {
            out.appendAscii(s);
            return;
        }
        OffsetTime t;
        try {
            t = OffsetTime.parse(s, DateTimeFormatter.ISO_OFFSET_TIME);
        } catch (DateTimeParseException e) {
            throw new BadValueException("'" + s + "' is not an ISO-8601 time with a UTC offset");
        }
        int offset = checkedOffset(t.getOffset().getTotalSeconds(), s);
        // rounding 23:59:59.9999995 gives 24:00:00, which timetz holds
        TemporalText.appendTimeOfDay(out, TemporalText.nanosToMicros(t.toLocalTime().toNanoOfDay()));
        TemporalText.appendOffset(out, offset);
    }

    /**
     * An {@code interval} from an ISO-8601 duration with designators as Debezium writes it
     * ({@code P1Y2M3DT4H5M6.78S}, each number possibly negative), which PostgreSQL reads as it is.
     */
    public static void appendIsoInterval(CopyTextWriter out, String s) {
        if (!isIsoDuration(s)) {
            throw new BadValueException("'" + s + "' is not an ISO-8601 duration such as P1Y2M3DT4H5M6.78S");
        }
        out.appendAscii(s);
    }

    /** {@code YYYY-MM-DDTHH:MM[:SS[.f{1,6}]]} followed by an offset, every field in range. */
    static boolean isPlainZonedTimestamp(String s) {
        int n = s.length();
        if (n < 17 || !digits(s, 0, 4) || s.charAt(4) != '-' || !digits(s, 5, 2) || s.charAt(7) != '-'
                || !digits(s, 8, 2) || s.charAt(10) != 'T') {
            return false;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        if (year == 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return false;
        }
        int end = plainTime(s, 11);
        return end > 0 && plainOffset(s, end);
    }

    /** {@code HH:MM[:SS[.f{1,6}]]} followed by an offset. */
    static boolean isPlainZonedTime(String s) {
        int end = plainTime(s, 0);
        return end > 0 && plainOffset(s, end);
    }

    /** The end of {@code HH:MM[:SS[.f{1,6}]]} starting at {@code i}, or -1. */
    private static int plainTime(String s, int i) {
        int n = s.length();
        if (n < i + 5 || !digits(s, i, 2) || s.charAt(i + 2) != ':' || !digits(s, i + 3, 2)
                || number(s, i, 2) > 23 || number(s, i + 3, 2) > 59) {
            return -1;
        }
        i += 5;
        if (i < n && s.charAt(i) == ':') {
            if (!digits(s, i + 1, 2) || number(s, i + 1, 2) > 59) {
                return -1;
            }
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                int start = ++i;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
                if (i == start || i - start > 6) {
                    return -1;
                }
            }
        }
        return i;
    }

    /** Whether {@code s} ends at {@code i} with {@code Z} or {@code ±HH[:MM[:SS]]} within PostgreSQL's limit. */
    private static boolean plainOffset(String s, int i) {
        int n = s.length();
        if (i == n - 1 && s.charAt(i) == 'Z') {
            return true;
        }
        if (i >= n || (s.charAt(i) != '+' && s.charAt(i) != '-') || !digits(s, i + 1, 2)) {
            return false;
        }
        int seconds = number(s, i + 1, 2) * 3600;
        i += 3;
        for (int factor = 60; i < n && factor >= 1; factor /= 60) {
            if (s.charAt(i) != ':' || !digits(s, i + 1, 2) || number(s, i + 1, 2) > 59) {
                return false;
            }
            seconds += number(s, i + 1, 2) * factor;
            i += 3;
        }
        return i == n && seconds <= MAX_OFFSET_SECONDS;
    }

    /** {@code P} then signed numbers with Y/M/W/D designators, optionally {@code T} and H/M/S ones. */
    static boolean isIsoDuration(String s) {
        int n = s.length();
        if (n < 3 || s.charAt(0) != 'P') {
            return false;
        }
        int i = 1;
        boolean time = false;
        boolean any = false;
        while (i < n) {
            if (s.charAt(i) == 'T' && !time) {
                time = true;
                i++;
                if (i == n) {
                    return false;
                }
                continue;
            }
            int start = i;
            if (s.charAt(i) == '-' || s.charAt(i) == '+') {
                i++;
            }
            int digitsStart = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                int fraction = ++i;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
                if (i == fraction) {
                    return false;
                }
            }
            if (i == digitsStart || i >= n || i - start > 40) {
                return false;
            }
            char designator = s.charAt(i++);
            boolean valid = time ? designator == 'H' || designator == 'M' || designator == 'S'
                    : designator == 'Y' || designator == 'M' || designator == 'W' || designator == 'D';
            if (!valid) {
                return false;
            }
            any = true;
        }
        return any;
    }

    public static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> TemporalText.isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static int checkedOffset(int offsetSeconds, String s) {
        if (Math.abs(offsetSeconds) > MAX_OFFSET_SECONDS) {
            throw new BadValueException("'" + s + "' has a UTC offset beyond ±15:59:59, which PostgreSQL cannot store");
        }
        return offsetSeconds;
    }

    private static boolean digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }
}
