package io.tidemark.sink.types;

import org.apache.kafka.connect.data.Schema;

/**
 * Times of day without time zone, whatever unit they arrive in: {@code time(p)} with the source's
 * declared fractional precision when known (at most 6), else the precision the values carry.
 */
public abstract class AbstractTimeType extends AbstractColumnType {

    protected AbstractTimeType(String registrationKey) {
        super(registrationKey);
    }

    /** Fractional digits the values carry: 3 for milliseconds, 6 for microseconds, 9 for nanoseconds. */
    protected abstract int valuePrecision();

    public int precision(SourceColumn source) {
        Integer declared = source.fractionalSecondsPrecision();
        return Math.min(6, declared == null ? valuePrecision() : declared);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "time(" + precision(source) + ")";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        if (target.isOneOf("time")) {
            int needed = Math.min(precision(source), valuePrecision());
            return Compatibility.fractionalSeconds(target, schema, source, needed);
        }
        if (target.isOneOf("timetz")) {
            return Compatibility.cannotHold(target, schema, source, "these are times without time zone");
        }
        return Compatibility.cannotHold(target, schema, source, null);
    }

    /** Writes a time of day given in microseconds, refusing what PostgreSQL's {@code time} cannot hold. */
    protected static void appendMicroOfDay(CopyTextWriter out, long microOfDay, Object value, String unit) {
        if (microOfDay < 0 || microOfDay > TemporalText.MICROS_PER_DAY) {
            throw new BadValueException("time " + value + " " + unit + " is not a time of day between 00:00:00 and 24:00:00");
        }
        TemporalText.appendTimeOfDay(out, microOfDay);
    }
}
