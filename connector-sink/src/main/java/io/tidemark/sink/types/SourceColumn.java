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

    @Override
    public String toString() {
        if (typeName == null) {
            return "unknown source type";
        }
        if (length == null) {
            return typeName;
        }
        return typeName + "(" + length + (scale == null ? "" : "," + scale) + ")";
    }
}
