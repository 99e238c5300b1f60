package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BinaryField;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.IsoTemporalText;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Debezium's {@code io.debezium.time.ZonedTimestamp}, an ISO-8601 string with offset (Oracle
 * {@code TIMESTAMP WITH [LOCAL] TIME ZONE}, PostgreSQL {@code timestamptz}): {@code timestamptz(p)}.
 * PostgreSQL stores the instant, not the offset; the instant is kept exactly (to the microsecond).
 */
public final class ZonedTimestampType extends AbstractColumnType {

    public static final ZonedTimestampType INSTANCE = new ZonedTimestampType();
    public static final String LOGICAL_NAME = "io.debezium.time.ZonedTimestamp";

    private ZonedTimestampType() {
        super(LOGICAL_NAME);
    }

    /** The declared precision (at most 6), or null when the source does not say. */
    static Integer precision(SourceColumn source) {
        Integer declared = source.fractionalSecondsPrecision();
        return declared == null ? null : Math.min(6, declared);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        Integer p = precision(source);
        return p == null ? "timestamptz" : "timestamptz(" + p + ")";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        if (target.isOneOf("timestamptz")) {
            Integer p = precision(source);
            int needed = p == null ? 6 : p;
            return Compatibility.fractionalSeconds(target, schema, source, needed);
        }
        if (target.isOneOf("timestamp")) {
            return Compatibility.cannotHold(target, schema, source,
                    "a timestamp without time zone would drop the values' UTC offsets");
        }
        return Compatibility.cannotHold(target, schema, source, null);
    }

    /** Into a timestamptz column: the instant, as PostgreSQL keeps it. */
    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        if (!target.isOneOf("timestamptz")) {
            return null;
        }
        return (v, out) -> {
            String s = Values.string(v, LOGICAL_NAME);
            out.appendInt8(IsoTemporalText.pgZonedTimestamp(s));
            return IsoTemporalText.zonedTimestampLength(s);
        };
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        IsoTemporalText.appendZonedTimestamp(out, Values.string(value, LOGICAL_NAME));
    }
}
