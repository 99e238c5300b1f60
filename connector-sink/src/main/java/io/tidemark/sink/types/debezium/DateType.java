package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractDateType;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.TemporalText;

/**
 * Debezium's {@code io.debezium.time.Date}, days since 1970-01-01 as int32 (PostgreSQL {@code date}):
 * {@code date}. Debezium's PostgreSQL connector turns {@code infinity} and {@code -infinity} into two
 * odd days of the year -5877611; they are written back as PostgreSQL's infinities.
 */
public final class DateType extends AbstractDateType {

    public static final DateType INSTANCE = new DateType();
    public static final String LOGICAL_NAME = "io.debezium.time.Date";

    /** {@code PostgresValueConverter.POSITIVE_INFINITY_LOCAL_DATE} (-5877611-06-21) as epoch days. */
    static final int POSITIVE_INFINITY = -2_147_472_692;
    /** {@code PostgresValueConverter.NEGATIVE_INFINITY_LOCAL_DATE} (-5877611-06-22) as epoch days. */
    static final int NEGATIVE_INFINITY = -2_147_472_691;

    private DateType() {
        super(LOGICAL_NAME);
    }

    /** PostgreSQL's infinities are the extremes of its day count. */
    @Override
    protected int pgDate(Object value) {
        int days = Values.int32(value, LOGICAL_NAME);
        return days == POSITIVE_INFINITY ? Integer.MAX_VALUE : days == NEGATIVE_INFINITY ? Integer.MIN_VALUE
                : TemporalText.pgDate(days, days, "days since 1970-01-01");
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        int days = Values.int32(value, LOGICAL_NAME);
        if (days == POSITIVE_INFINITY) {
            out.appendAscii("infinity");
        } else if (days == NEGATIVE_INFINITY) {
            out.appendAscii("-infinity");
        } else {
            TemporalText.appendDate(out, days, days, "days since 1970-01-01");
        }
    }
}
