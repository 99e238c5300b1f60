package io.tidemark.control.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Byte counts as people write them: {@code 500000000000}, {@code 500GB}, {@code 1.5 TB},
 * {@code 2TiB}. KB, MB, GB, TB, PB are powers of 1000, KiB … PiB powers of 1024, as in the SI and
 * IEC standards; units are read case-insensitively and always mean bytes.
 */
final class DataSize {

    private static final Map<String, Long> UNITS = new LinkedHashMap<>();

    static {
        // kB as SI writes it (and as the quickstart's progress lines do); parsing ignores the case.
        String[] prefixes = {"k", "M", "G", "T", "P"};
        long decimal = 1;
        long binary = 1;
        UNITS.put("B", 1L);
        for (String prefix : prefixes) {
            decimal *= 1000;
            binary *= 1024;
            UNITS.put(prefix + "B", decimal);
            UNITS.put(prefix.toUpperCase(Locale.ROOT) + "iB", binary);
        }
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
    private static final String ACCEPTED = "a number of bytes, or a number with a unit: KB, MB, GB, TB, PB "
            + "(powers of 1000) or KiB, MiB, GiB, TiB, PiB (powers of 1024), e.g. 500GB or 2TiB";

    private DataSize() {
    }

    /** @throws IllegalArgumentException saying what sizes look like */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; give " + ACCEPTED);
        }
        Long unit = m.group(2).isEmpty() ? Long.valueOf(1) : unit(m.group(2));
        if (unit == null) {
            throw new IllegalArgumentException("'" + m.group(2) + "' is not a unit; give " + ACCEPTED);
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        }
        try {
            return bytes.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is more than " + Long.MAX_VALUE + " bytes");
        }
    }

    /**
     * A short rendering for people: exact in the largest unit that divides the count
     * ({@code 500 GB}, {@code 2 TiB}), otherwise approximate in decimal units ({@code about 1.23 GB}).
     */
    static String format(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String exact = null;
        long exactUnit = 1;
        for (Map.Entry<String, Long> unit : UNITS.entrySet()) {
            if (bytes % unit.getValue() == 0 && unit.getValue() > exactUnit) {
                exact = bytes / unit.getValue() + " " + unit.getKey();
                exactUnit = unit.getValue();
            }
        }
        if (exact != null) {
            return exact;
        }
        String name = "B";
        long size = 1;
        for (Map.Entry<String, Long> unit : UNITS.entrySet()) {
            if (!unit.getKey().contains("i") && unit.getValue() <= bytes) {
                name = unit.getKey();
                size = unit.getValue();
            }
        }
        BigDecimal scaled = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(size), new MathContext(3));
        return "about " + scaled.stripTrailingZeros().toPlainString() + " " + name;
    }

    private static Long unit(String name) {
        for (Map.Entry<String, Long> unit : UNITS.entrySet()) {
            if (unit.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return unit.getValue();
            }
        }
        return null;
    }

    /** For picocli options such as {@code --max-bytes}. */
    static final class Converter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
