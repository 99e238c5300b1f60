package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractTimeType;
import io.tidemark.sink.types.CopyTextWriter;

/** Debezium's {@code io.debezium.time.MicroTime}, microseconds past midnight as int64 (PostgreSQL {@code time}): {@code time(p)}. */
public final class MicroTimeType extends AbstractTimeType {

    public static final MicroTimeType INSTANCE = new MicroTimeType();
    public static final String LOGICAL_NAME = "io.debezium.time.MicroTime";

    private MicroTimeType() {
        super(LOGICAL_NAME);
    }

    @Override
    protected int valuePrecision() {
        return 6;
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        long micros = Values.int64(value, LOGICAL_NAME);
        appendMicroOfDay(out, micros, micros, "µs");
    }
}
