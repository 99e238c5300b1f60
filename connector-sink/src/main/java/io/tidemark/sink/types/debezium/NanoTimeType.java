package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractTimeType;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.TemporalText;

/**
 * Debezium's {@code io.debezium.time.NanoTime}, nanoseconds past midnight as int64: {@code time(6)},
 * rounded to the nearest microsecond (halves up, so 23:59:59.9999995 becomes 24:00:00).
 */
public final class NanoTimeType extends AbstractTimeType {

    public static final NanoTimeType INSTANCE = new NanoTimeType();
    public static final String LOGICAL_NAME = "io.debezium.time.NanoTime";

    private NanoTimeType() {
        super(LOGICAL_NAME);
    }

    @Override
    protected int valuePrecision() {
        return 9;
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        long nanos = Values.int64(value, LOGICAL_NAME);
        appendMicroOfDay(out, TemporalText.nanosToMicros(nanos), nanos, "ns");
    }
}
