package io.tidemark.sink.types;

import org.apache.kafka.connect.data.Schema;

/** Dates, whatever they arrive as: {@code date}. A timestamp column holds them too (at midnight). */
public abstract class AbstractDateType extends AbstractColumnType {

    protected AbstractDateType(String registrationKey) {
        super(registrationKey);
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
