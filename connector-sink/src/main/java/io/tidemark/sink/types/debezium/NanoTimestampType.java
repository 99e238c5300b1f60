package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractTimestampType;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.TemporalText;

/**
 * Debezium's {@code io.debezium.time.NanoTimestamp}, nanoseconds since 1970 of a local date-time as
 * int64 (Oracle {@code TIMESTAMP(7..9)}): {@code timestamp(6)}, PostgreSQL's finest. Values are
 * rounded to the nearest microsecond, halves towards the later instant
 * ({@link TemporalText#nanosToMicros(long)}), as PostgreSQL itself rounds extra digits.
 */
public final class NanoTimestampType extends AbstractTimestampType {

    public static final NanoTimestampType INSTANCE = new NanoTimestampType();
    public static final String LOGICAL_NAME = "io.debezium.time.NanoTimestamp";

    private NanoTimestampType() {
        super(LOGICAL_NAME);
    }

    @Override
    protected int valuePrecision() {
        return 9;
    }

    @Override
    protected long pgTimestamp(Object value) {
        long nanos = Values.int64(value, LOGICAL_NAME);
        return nanos == Long.MAX_VALUE ? Long.MAX_VALUE : nanos == Long.MIN_VALUE ? Long.MIN_VALUE
                : TemporalText.pgTimestamp(TemporalText.nanosToMicros(nanos), nanos, "ns since 1970-01-01");
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        long nanos = Values.int64(value, LOGICAL_NAME);
        // PostgreSQL's connector sends its infinities as the extremes of a long
        if (nanos == Long.MAX_VALUE) {
            out.appendAscii("infinity");
        } else if (nanos == Long.MIN_VALUE) {
            out.appendAscii("-infinity");
        } else {
            TemporalText.appendTimestampNanos(out, nanos);
        }
    }
}
