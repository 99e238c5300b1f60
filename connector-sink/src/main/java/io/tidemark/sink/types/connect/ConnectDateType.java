package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractDateType;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.TemporalText;

/** Connect's {@code Date} (a {@link java.util.Date} at midnight UTC; {@code time.precision.mode=connect}): {@code date}. */
public final class ConnectDateType extends AbstractDateType {

    public static final ConnectDateType INSTANCE = new ConnectDateType();

    private ConnectDateType() {
        super(Date.LOGICAL_NAME);
    }

    @Override
    protected int pgDate(Object value) {
        long millis = ConnectTimestampType.millis(value);
        return TemporalText.pgDate(Math.floorDiv(millis, TemporalText.MILLIS_PER_DAY), millis, "ms since 1970-01-01");
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        long millis = ConnectTimestampType.millis(value);
        TemporalText.appendDate(out, Math.floorDiv(millis, TemporalText.MILLIS_PER_DAY), millis, "ms since 1970-01-01");
    }
}
