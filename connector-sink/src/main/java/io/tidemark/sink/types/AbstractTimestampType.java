package io.tidemark.sink.types;

import org.apache.kafka.connect.data.Schema;

/**
 * Timestamps without time zone (a local date-time Debezium encodes as if it were UTC), whatever
 * unit they arrive in. The column is {@code timestamp(p)}: {@code p = 0} for Oracle {@code DATE},
 * else the source's declared fractional precision (PostgreSQL keeps at most 6), else the precision
 * the values carry.
 */
public abstract class AbstractTimestampType extends AbstractColumnType {

    protected AbstractTimestampType(String registrationKey) {
        super(registrationKey);
    }

    /** Fractional digits the values carry: 3 for milliseconds, 6 for microseconds, 9 for nanoseconds. */
    protected abstract int valuePrecision();

    /** The precision of the column to create. */
    public int precision(SourceColumn source) {
        if (source.is("DATE")) {
            return 0;
        }
        Integer declared = source.fractionalSecondsPrecision();
        return Math.min(6, declared == null ? valuePrecision() : declared);
    }

    /** The fractional digits the values really have: never more than the unit allows. */
    private int neededPrecision(SourceColumn source) {
        return Math.min(precision(source), valuePrecision());
    }

    /**
     * A value as PostgreSQL's binary {@code timestamp} (µs since 2000-01-01; {@link Long#MAX_VALUE}
     * and {@link Long#MIN_VALUE} are its infinities), refused where the text form is refused.
     */
    protected abstract long pgTimestamp(Object value);

    /** Into a timestamp column: PostgreSQL rounds to its precision as it does the text form. */
    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        if (!target.isOneOf("timestamp")) {
            return null;
        }
        return (v, out) -> {
            long micros = pgTimestamp(v);
            out.appendInt8(micros);
            return TemporalText.timestampLength(micros);
        };
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "timestamp(" + precision(source) + ")";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        if (target.isOneOf("timestamp")) {
            int needed = neededPrecision(source);
            return Compatibility.fractionalSeconds(target, schema, source, needed);
        }
        if (target.isOneOf("timestamptz")) {
            return Compatibility.cannotHold(target, schema, source, "these are timestamps without time zone, which "
                    + "a timestamp with time zone column would read in the session's time zone");
        }
        return Compatibility.cannotHold(target, schema, source, null);
    }
}
