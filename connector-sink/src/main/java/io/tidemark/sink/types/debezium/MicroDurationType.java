package io.tidemark.sink.types.debezium;

import java.util.Map;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;
import io.tidemark.sink.types.TemporalText;

/**
 * Debezium's {@code io.debezium.time.MicroDuration}, an int64 of microseconds
 * ({@code interval.handling.mode=numeric}, Oracle {@code INTERVAL}, PostgreSQL {@code interval}):
 * {@code interval}.
 *
 * <p>Debezium folds months into microseconds at 30.4375 days a month, so a month count cannot be told
 * from days in general. Where the source column is Oracle's {@code INTERVAL YEAR TO MONTH} (known
 * from {@code column.propagate.source.type}) and the value is exactly a whole number of such months,
 * it is written back as months ({@code 14 mons} is {@code 1 year 2 mons}); anything else is written
 * as days and a time ({@code -1 days -02:03:04.5}).
 */
public final class MicroDurationType extends AbstractColumnType {

    public static final MicroDurationType INSTANCE = new MicroDurationType();
    public static final String LOGICAL_NAME = "io.debezium.time.MicroDuration";

    /** {@code io.debezium.time.MicroDuration.DAYS_PER_MONTH_AVG}. */
    private static final double DAYS_PER_MONTH_AVG = 365.25 / 12.0d;
    private static final long MICROS_PER_MONTH = 2_629_800_000_000L;

    private MicroDurationType() {
        super(LOGICAL_NAME);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "interval";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        return intervalIncompatibility(target, schema, source);
    }

    /** Shared with {@link IntervalType}: an unrestricted interval of full precision, or a year-to-month one for year-month sources. */
    static String intervalIncompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        String fields = target.intervalFields();
        if (fields == null) {
            return Compatibility.cannotHold(target, schema, source, null);
        }
        if (fields.isEmpty() || (fields.equals("year to month") && source.is("INTERVAL YEAR"))) {
            return Compatibility.fractionalSeconds(target, schema, source, 6);
        }
        return Compatibility.cannotHold(target, schema, source, "an interval restricted to " + fields
                + " drops the other fields");
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        long micros = Values.int64(value, LOGICAL_NAME);
        if (isYearToMonth(schema)) {
            long months = Math.round(micros / (double) MICROS_PER_MONTH);
            if (debeziumMicros(months) == micros) {
                out.appendLong(months).appendAscii(" mons");
                return;
            }
        }
        long days = micros / TemporalText.MICROS_PER_DAY;
        long rest = micros % TemporalText.MICROS_PER_DAY;
        if (days != 0) {
            out.appendLong(days).appendAscii(" days ");
        }
        if (rest < 0) {
            out.appendByte('-');
            rest = -rest;
        }
        TemporalText.appendTimeOfDay(out, rest);
    }

    private static boolean isYearToMonth(Schema schema) {
        Map<String, String> params = schema.parameters();
        String type = params == null ? null : params.get(SourceColumn.TYPE_PARAM);
        return type != null && type.regionMatches(true, 0, "INTERVAL YEAR", 0, 13);
    }

    /** What {@code MicroDuration.durationMicros(0, months, 0, 0, 0, 0, DAYS_PER_MONTH_AVG)} gives, to the bit. */
    private static long debeziumMicros(long months) {
        double numberOfDays = months * DAYS_PER_MONTH_AVG + 0;
        double numberOfSeconds = (((numberOfDays * 24 + 0) * 60) + 0) * 60 + 0.0;
        return (long) (numberOfSeconds * 1e6 + 0);
    }
}
