package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractTimeType;
import io.tidemark.sink.types.CopyTextWriter;

/** Debezium's {@code io.debezium.time.Time}, milliseconds past midnight as int32 (PostgreSQL {@code time(0..3)}): {@code time(p)}. */
public final class TimeType extends AbstractTimeType {

    public static final TimeType INSTANCE = new TimeType();
    public static final String LOGICAL_NAME = "io.debezium.time.Time";

    private TimeType() {
        super(LOGICAL_NAME);
    }

    @Override
    protected int valuePrecision() {
        return 3;
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        int millis = Values.int32(value, LOGICAL_NAME);
        appendMicroOfDay(out, millis * 1000L, millis, "ms");
    }
}
