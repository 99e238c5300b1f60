package io.tidemark.sink.types;

import java.util.Locale;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;

/**
 * What Debezium says about the source column when {@code column.propagate.source.type} (or
 * {@code datatype.propagate.source.type}) covers it: the schema parameters
 * {@code __debezium.source.column.type}, {@code .length} and {@code .scale}.
 *
 * @param typeName the source type name in upper case (e.g. {@code VARCHAR2}, {@code NUMBER},
 *                 {@code TIMESTAMP(6) WITH TIME ZONE}), or null when not propagated
 * @param length   the declared length or precision, or null
 * @param scale    the declared scale, or null
 */
public record SourceColumn(String typeName, Integer length, Integer scale) {

    public static final String TYPE_PARAM = "__debezium.source.column.type";
    public static final String LENGTH_PARAM = "__debezium.source.column.length";
    public static final String SCALE_PARAM = "__debezium.source.column.scale";

    public static final SourceColumn UNKNOWN = new SourceColumn(null, null, null);

    public static SourceColumn of(Schema schema) {
        Map<String, String> params = schema.parameters();
        if (params == null || !params.containsKey(TYPE_PARAM)) {
            return UNKNOWN;
        }
        return new SourceColumn(params.get(TYPE_PARAM).trim().toUpperCase(Locale.ROOT),
                parse(params.get(LENGTH_PARAM)), parse(params.get(SCALE_PARAM)));
    }

    public boolean known() {
        return typeName != null;
    }

    /** True when the source type name starts with one of the given names (e.g. "TIMESTAMP"). */
    public boolean is(String... names) {
        if (typeName == null) {
            return false;
        }
        for (String name : names) {
            if (typeName.equals(name) || typeName.startsWith(name + "(") || typeName.startsWith(name + " ")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The declared fractional-seconds precision of a temporal source column, or null when it is not
     * known. Debezium does not say it in one place: Oracle's snapshot names the type
     * {@code TIMESTAMP(6)} with length 6, Oracle's DDL parser names it {@code TIMESTAMP} with length 6,
     * Oracle's {@code TIMESTAMP(6) WITH TIME ZONE} has scale 6 and length 13 (the JDBC column size),
     * and the PostgreSQL connector has scale 3 and length 29 for {@code timestamp(3)}. So: a number in
     * the type name wins, then a scale of 0..9, then a length of 0..9.
     */
    public Integer fractionalSecondsPrecision() {
        if (typeName == null) {
            return null;
        }
        int close = typeName.lastIndexOf(')');
        int open = close < 0 ? -1 : typeName.lastIndexOf('(', close);
        if (open >= 0) {
            Integer inName = parse(typeName.substring(open + 1, close));
            if (inName != null && inName >= 0 && inName <= 9) {
                return inName;
            }
        }
        if (scale != null && scale >= 0 && scale <= 9) {
            return scale;
        }
        if (length != null && length >= 0 && length <= 9) {
            return length;
        }
        return null;
    }

    private static Integer parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The source type as its database would spell it, e.g. {@code VARCHAR2(40)}, {@code TIMESTAMP(6)}. */
    @Override
    public String toString() {
        if (typeName == null) {
            return "unknown source type";
        }
        if (length == null || typeName.indexOf('(') >= 0 || is("DATE", "INTERVAL")) {
            return typeName;
        }
        if (is("TIMESTAMP", "TIME", "TIMESTAMPTZ", "TIMETZ")) {
            Integer precision = fractionalSecondsPrecision();
            if (precision == null) {
                return typeName;
            }
            int space = typeName.indexOf(' ');
            return space < 0 ? typeName + "(" + precision + ")"
                    : typeName.substring(0, space) + "(" + precision + ")" + typeName.substring(space);
        }
        return typeName + "(" + length + (scale == null ? "" : "," + scale) + ")";
    }
}
