package io.tidemark.control.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Points in time on the command line: a date {@code YYYY-MM-DD}, read in UTC, or an ISO-8601
 * instant ({@code 2027-01-01T00:00:00Z}, or with an offset such as {@code +02:00}).
 */
final class TimeArguments {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private TimeArguments() {
    }

    /**
     * A date means the whole of that day (UTC) is included, so the instant is the start of the
     * next day: {@code --expires 2026-12-31} gives {@code 2027-01-01T00:00:00Z}, the first instant
     * at which the key no longer works.
     */
    static final class EndOfDay implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return parse(value, true);
        }
    }

    /** A date means the start of that day (UTC). */
    static final class StartOfDay implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            return parse(value, false);
        }
    }

    static Instant parse(String text, boolean endOfDay) {
        String value = text.strip();
        if (DATE.matcher(value).matches()) {
            try {
                LocalDate date = LocalDate.parse(value);
                return (endOfDay ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                throw new TypeConversionException("'" + text + "' is not a valid date: " + why);
            }
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is neither a date (YYYY-MM-DD, UTC) nor an instant "
                    + "(e.g. 2027-01-01T00:00:00Z)");
        }
    }
}
