package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractTimestampType;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.TemporalText;

/**
 * Debezium's {@code io.debezium.time.Timestamp}, milliseconds since 1970 of a local date-time as
 * int64 (Oracle {@code DATE} and {@code TIMESTAMP(0..3)}, PostgreSQL {@code timestamp(0..3)}):
 * {@code timestamp(0)} for {@code DATE}, else {@code timestamp(p)}.
 */
public final class TimestampType extends AbstractTimestampType {

    public static final TimestampType INSTANCE = new TimestampType();
    public static final String LOGICAL_NAME = "io.debezium.time.Timestamp";

    /** Debezium's PostgreSQL connector's {@code infinity} and {@code -infinity} in milliseconds. */
    static final long POSITIVE_INFINITY = 9_223_372_036_825_200L;
    static final long NEGATIVE_INFINITY = -9_223_372_036_832_400L;

    private TimestampType() {
        super(LOGICAL_NAME);
    }

    @Override
    protected int valuePrecision() {
        return 3;
    }

    @Override
    protected long pgTimestamp(Object value) {
        long millis = Values.int64(value, LOGICAL_NAME);
        return millis == POSITIVE_INFINITY ? Long.MAX_VALUE : millis == NEGATIVE_INFINITY ? Long.MIN_VALUE
                : TemporalText.pgTimestampMillis(millis);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        long millis = Values.int64(value, LOGICAL_NAME);
        if (millis == POSITIVE_INFINITY) {
            out.appendAscii("infinity");
        } else if (millis == NEGATIVE_INFINITY) {
            out.appendAscii("-infinity");
        } else {
            TemporalText.appendTimestampMillis(out, millis);
        }
    }
}
