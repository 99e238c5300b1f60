package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractTimestampType;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.TemporalText;

/**
 * Debezium's {@code io.debezium.time.MicroTimestamp}, microseconds since 1970 of a local date-time
 * as int64 (Oracle {@code TIMESTAMP(4..6)}, PostgreSQL {@code timestamp(4..6)}): {@code timestamp(p)}.
 */
public final class MicroTimestampType extends AbstractTimestampType {

    public static final MicroTimestampType INSTANCE = new MicroTimestampType();
    public static final String LOGICAL_NAME = "io.debezium.time.MicroTimestamp";

    /** Debezium's PostgreSQL connector's {@code infinity} and {@code -infinity} ({@code PGStatement.DATE_*_INFINITY}). */
    static final long POSITIVE_INFINITY = 9_223_372_036_825_200_000L;
    static final long NEGATIVE_INFINITY = -9_223_372_036_832_400_000L;

    private MicroTimestampType() {
        super(LOGICAL_NAME);
    }

    @Override
    protected int valuePrecision() {
        return 6;
    }

    @Override
    protected long pgTimestamp(Object value) {
        long micros = Values.int64(value, LOGICAL_NAME);
        return micros == POSITIVE_INFINITY ? Long.MAX_VALUE : micros == NEGATIVE_INFINITY ? Long.MIN_VALUE
                : TemporalText.pgTimestamp(micros, micros, "µs since 1970-01-01");
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        long micros = Values.int64(value, LOGICAL_NAME);
        if (micros == POSITIVE_INFINITY) {
            out.appendAscii("infinity");
        } else if (micros == NEGATIVE_INFINITY) {
            out.appendAscii("-infinity");
        } else {
            TemporalText.appendTimestampMicros(out, micros);
        }
    }
}
