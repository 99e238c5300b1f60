package io.tidemark.sink.types;

import org.apache.kafka.connect.data.Schema;

/** Dates, whatever they arrive as: {@code date}. A timestamp column holds them too (at midnight). */
public abstract class AbstractDateType extends AbstractColumnType {

    protected AbstractDateType(String registrationKey) {
        super(registrationKey);
    }

    /** A value as PostgreSQL's binary {@code date} (days since 2000-01-01), refused where the text form is. */
    protected abstract int pgDate(Object value);

    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        if (!target.isOneOf("date")) {
            return null;
        }
        return (v, out) -> {
            int days = pgDate(v);
            out.appendDateDays(days);
            return TemporalText.dateLength(days);
        };
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "date";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        if (target.isOneOf("date", "timestamp")) {
            return null;
        }
        if (target.isOneOf("timestamptz")) {
            return Compatibility.cannotHold(target, schema, source,
                    "a date would become midnight in the session's time zone");
        }
        return Compatibility.cannotHold(target, schema, source, null);
    }
}
