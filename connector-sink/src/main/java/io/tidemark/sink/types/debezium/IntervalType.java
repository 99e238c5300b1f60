package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.IsoTemporalText;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Debezium's {@code io.debezium.time.Interval}, an ISO-8601 duration such as
 * {@code P1Y2M3DT4H5M6.78S} ({@code interval.handling.mode=string}): {@code interval}. Years, months
 * and days stay separate, so nothing is lost to average month lengths.
 */
public final class IntervalType extends AbstractColumnType {

    public static final IntervalType INSTANCE = new IntervalType();
    public static final String LOGICAL_NAME = "io.debezium.time.Interval";

    private IntervalType() {
        super(LOGICAL_NAME);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "interval";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        return MicroDurationType.intervalIncompatibility(target, schema, source);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        IsoTemporalText.appendIsoInterval(out, Values.string(value, LOGICAL_NAME));
    }
}
