package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Timestamp;

import io.tidemark.sink.types.AbstractTimestampType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.TemporalText;

/**
 * Connect's {@code Timestamp} (a {@link java.util.Date}, milliseconds; Oracle {@code DATE} and
 * {@code TIMESTAMP(n)} with {@code time.precision.mode=connect}, which drops digits beyond the
 * millisecond at the source): {@code timestamp(0)} for {@code DATE}, else {@code timestamp(n)}.
 */
public final class ConnectTimestampType extends AbstractTimestampType {

    public static final ConnectTimestampType INSTANCE = new ConnectTimestampType();

    private ConnectTimestampType() {
        super(Timestamp.LOGICAL_NAME);
    }

    @Override
    protected int valuePrecision() {
        return 3;
    }

    @Override
    protected long pgTimestamp(Object value) {
        return TemporalText.pgTimestampMillis(millis(value));
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        TemporalText.appendTimestampMillis(out, millis(value));
    }

    /** Milliseconds since 1970 of a Connect Date, Time or Timestamp value. */
    static long millis(Object value) {
        if (value instanceof java.util.Date d) {
            return d.getTime();
        }
        throw new BadValueException("expected a java.util.Date but got " + value.getClass().getName() + " '" + value + "'");
    }
}
