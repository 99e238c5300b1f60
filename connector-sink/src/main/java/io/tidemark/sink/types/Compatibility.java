package io.tidemark.sink.types;

import org.apache.kafka.connect.data.Schema;

/**
 * Shared pieces of {@link ColumnType#incompatibility}: how a refusal reads, and the checks more
 * than one family makes (exact numbers, fractional-second precision).
 */
public final class Compatibility {

    private Compatibility() {
    }

    /**
     * The refusal, naming both sides: {@code column type character varying(10) cannot hold
     * VARCHAR2(40) values: values up to 40 characters long would not fit}.
     *
     * @param why what would go wrong, or null when the type simply does not match
     */
    public static String cannotHold(PgColumnType target, String what, String why) {
        return "column type " + target + " cannot hold " + what + " values" + (why == null ? "" : ": " + why);
    }

    /** {@link #cannotHold(PgColumnType, String, String)} with the field described by {@link #describe}. */
    public static String cannotHold(PgColumnType target, Schema schema, SourceColumn source, String why) {
        return cannotHold(target, describe(schema, source), why);
    }

    /**
     * The field in an operator's words: the source column type when Debezium propagated it
     * ({@code VARCHAR2(40)}), else the logical schema name ({@code io.debezium.time.MicroTimestamp}),
     * else the Connect type ({@code INT32}).
     */
    public static String describe(Schema schema, SourceColumn source) {
        if (source != null && source.known()) {
            return source.toString();
        }
        return schema.name() != null ? schema.name() : schema.type().name();
    }

    /** The fractional-seconds precision of a time, timestamp or interval column: its modifier, else 6. */
    public static int fractionalPrecision(PgColumnType target) {
        Integer p = target.length();
        return p == null ? 6 : p;
    }

    /**
     * Null when a time, timestamp or interval column keeps {@code needed} fractional digits of a
     * second, otherwise the refusal saying to how many it would round.
     */
    public static String fractionalSeconds(PgColumnType target, Schema schema, SourceColumn source, int needed) {
        int kept = fractionalPrecision(target);
        return kept >= needed ? null : cannotHold(target, schema, source,
                "fractional seconds would be rounded to " + kept + " digits (the values have " + needed + ")");
    }

    /**
     * Whether a column stores exact numbers of up to {@code integerDigits} digits before the point
     * (null: unbounded) and {@code scale} digits after it without rounding or overflow.
     */
    public static boolean holdsExactNumber(PgColumnType target, Integer integerDigits, int scale) {
        if (target.isOneOf("numeric")) {
            if (target.length() == null) {
                return true;
            }
            int targetScale = target.scale() == null ? 0 : target.scale();
            return integerDigits != null && scale <= targetScale && integerDigits <= target.length() - targetScale;
        }
        if (scale > 0 || integerDigits == null) {
            return false;
        }
        if (target.isOneOf("smallint")) {
            return integerDigits <= 4;
        }
        if (target.isOneOf("integer")) {
            return integerDigits <= 9;
        }
        if (target.isOneOf("bigint")) {
            return integerDigits <= 18;
        }
        return false;
    }

    /**
     * Whether a column stores strings of up to {@code maxChars} characters (null: unbounded) unchanged:
     * {@code text}, or {@code varchar} without a length or long enough. Not {@code char(n)}, which pads.
     */
    public static boolean holdsText(PgColumnType target, Integer maxChars) {
        if (target.isOneOf("text")) {
            return true;
        }
        if (target.isOneOf("varchar")) {
            return target.length() == null || (maxChars != null && maxChars <= target.length());
        }
        return false;
    }
}
