package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;

import io.tidemark.sink.types.AbstractTimeType;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.TemporalText;

/** Connect's {@code Time} (a {@link java.util.Date} on 1970-01-01 UTC, milliseconds): {@code time(3)}. */
public final class ConnectTimeType extends AbstractTimeType {

    public static final ConnectTimeType INSTANCE = new ConnectTimeType();

    private ConnectTimeType() {
        super(Time.LOGICAL_NAME);
    }

    @Override
    protected int valuePrecision() {
        return 3;
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        long millis = ConnectTimestampType.millis(value);
        boolean inDay = millis >= 0 && millis <= TemporalText.MILLIS_PER_DAY;
        appendMicroOfDay(out, inDay ? millis * 1000 : -1, millis, "ms");
    }
}
