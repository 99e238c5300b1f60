package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.IsoTemporalText;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/** Debezium's {@code io.debezium.time.ZonedTime}, an ISO-8601 time with offset (PostgreSQL {@code timetz}): {@code timetz(p)}. */
public final class ZonedTimeType extends AbstractColumnType {

    public static final ZonedTimeType INSTANCE = new ZonedTimeType();
    public static final String LOGICAL_NAME = "io.debezium.time.ZonedTime";

    private ZonedTimeType() {
        super(LOGICAL_NAME);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        Integer p = ZonedTimestampType.precision(source);
        return p == null ? "timetz" : "timetz(" + p + ")";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        if (target.isOneOf("timetz")) {
            Integer p = ZonedTimestampType.precision(source);
            int needed = p == null ? 6 : p;
            return Compatibility.fractionalSeconds(target, schema, source, needed);
        }
        if (target.isOneOf("time")) {
            return Compatibility.cannotHold(target, schema, source, "a time without time zone would drop the values' UTC offsets");
        }
        return Compatibility.cannotHold(target, schema, source, null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        IsoTemporalText.appendZonedTime(out, Values.string(value, LOGICAL_NAME));
    }
}
