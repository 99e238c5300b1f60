package io.tidemark.sink.types;

import org.apache.kafka.connect.data.Schema;

/**
 * Integers: Connect's INT8 to INT64, which Debezium's Oracle connector emits for {@code NUMBER(p,s)}
 * with {@code s <= 0} and {@code p - s < 19}. The column is the narrowest of smallint, integer and
 * bigint that holds every value: of the Connect type, or of the source's {@code NUMBER(p,s)} when
 * that is narrower (PostgreSQL has no one-byte integer, so INT8 is smallint).
 */
public abstract class AbstractIntegerType extends AbstractColumnType {

    private final Schema.Type connectType;
    private final int connectDigits;

    protected AbstractIntegerType(Schema.Type connectType, String registrationKey) {
        super(registrationKey);
        this.connectType = connectType;
        this.connectDigits = switch (connectType) {
            case INT8 -> 3;
            case INT16 -> 5;
            case INT32 -> 10;
            case INT64 -> 19;
            default -> throw new IllegalArgumentException(connectType + " is not an integer type");
        };
    }

    /** The most decimal digits a value can have: the source {@code NUMBER(p,s)}'s {@code p - s}, or the Connect type's. */
    public int digits(SourceColumn source) {
        if (source.is("NUMBER", "NUMERIC", "DECIMAL") && source.length() != null && source.length() > 0) {
            int scale = source.scale() == null ? 0 : source.scale();
            if (scale <= 0) {
                return Math.min(source.length() - scale, connectDigits);
            }
        }
        return connectDigits;
    }

    private boolean fitsSmallint(SourceColumn source) {
        return connectType == Schema.Type.INT8 || connectType == Schema.Type.INT16 || digits(source) <= 4;
    }

    private boolean fitsInteger(SourceColumn source) {
        return connectType != Schema.Type.INT64 || digits(source) <= 9;
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return fitsSmallint(source) ? "smallint" : fitsInteger(source) ? "integer" : "bigint";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        boolean fits;
        if (target.isOneOf("smallint")) {
            fits = fitsSmallint(source);
        } else if (target.isOneOf("integer")) {
            fits = fitsInteger(source);
        } else if (target.isOneOf("bigint")) {
            fits = true;
        } else if (target.isOneOf("numeric")) {
            fits = Compatibility.holdsExactNumber(target, digits(source), 0);
        } else if (target.isOneOf("real")) {
            fits = connectType == Schema.Type.INT8 || connectType == Schema.Type.INT16 || digits(source) <= 7;
        } else if (target.isOneOf("double precision")) {
            fits = connectType != Schema.Type.INT64 || digits(source) <= 15;
        } else {
            return Compatibility.cannotHold(target, schema, source, "not a numeric column");
        }
        return fits ? null : Compatibility.cannotHold(target, schema, source,
                "integers of up to " + digits(source) + " digits would not fit");
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        out.appendLong(integer(value));
    }

    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        if (target.isOneOf("smallint")) {
            return (v, out) -> {
                long x = inRange(integer(v), Short.MIN_VALUE, Short.MAX_VALUE, target);
                out.appendInt2((short) x);
                return CopyTextWriter.longLength(x);
            };
        }
        if (target.isOneOf("integer")) {
            return (v, out) -> {
                long x = inRange(integer(v), Integer.MIN_VALUE, Integer.MAX_VALUE, target);
                out.appendInt4((int) x);
                return CopyTextWriter.longLength(x);
            };
        }
        if (target.isOneOf("bigint")) {
            return (v, out) -> {
                long x = integer(v);
                out.appendInt8(x);
                return CopyTextWriter.longLength(x);
            };
        }
        if (target.isOneOf("numeric")) {
            return (v, out) -> {
                long x = integer(v);
                out.appendNumeric(x, 0);
                return CopyTextWriter.longLength(x);
            };
        }
        return null;
    }

    private long integer(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw new BadValueException("expected an integer (" + connectType + ") but got " + value.getClass().getName()
                + " '" + value + "'");
    }

    /** What PostgreSQL's input would refuse as {@code value "…" is out of range for type …}. */
    private static long inRange(long v, long min, long max, PgColumnType target) {
        if (v < min || v > max) {
            throw new BadValueException("value " + v + " is out of range for type " + target);
        }
        return v;
    }
}
