package io.tidemark.sink.types.connect;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.BinaryField;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Connect's {@code Decimal} (Oracle {@code NUMBER(p,s)} with {@code s > 0} or {@code p - s >= 19},
 * PostgreSQL {@code numeric(p,s)}, with {@code decimal.handling.mode=precise}): {@code numeric(p,s)}.
 * The precision comes from Debezium's {@code connect.decimal.precision} parameter or the source
 * column; without one the column is an unconstrained {@code numeric}. Values are written in plain
 * notation, every digit kept.
 */
public final class ConnectDecimalType extends AbstractColumnType {

    public static final ConnectDecimalType INSTANCE = new ConnectDecimalType();

    /** Where Debezium (and Confluent's Avro converter) put a decimal's precision. */
    public static final String PRECISION_PARAM = "connect.decimal.precision";

    /** PostgreSQL's largest numeric precision. */
    private static final int MAX_PRECISION = 1000;

    private ConnectDecimalType() {
        super(Decimal.LOGICAL_NAME);
    }

    /** The declared precision, or null when neither the schema nor the source says. */
    public static Integer precision(Schema schema, SourceColumn source) {
        Map<String, String> params = schema.parameters();
        String p = params == null ? null : params.get(PRECISION_PARAM);
        if (p != null) {
            try {
                int precision = Integer.parseInt(p.trim());
                if (precision > 0) {
                    return precision;
                }
            } catch (NumberFormatException ignored) {
                // fall back to the source column
            }
        }
        if (source.is("NUMBER", "NUMERIC", "DECIMAL") && source.length() != null && source.length() > 0) {
            return source.length();
        }
        return null;
    }

    public static int scale(Schema schema) {
        Map<String, String> params = schema.parameters();
        String s = params == null ? null : params.get(Decimal.SCALE_FIELD);
        if (s == null) {
            throw new IllegalArgumentException("Decimal schema without its '" + Decimal.SCALE_FIELD + "' parameter");
        }
        return Integer.parseInt(s.trim());
    }

    /** Digits before the point (null: unbounded). A negative scale, as in Oracle's NUMBER(5,-2), adds digits. */
    private static Integer integerDigits(Schema schema, SourceColumn source) {
        Integer p = precision(schema, source);
        return p == null ? null : Math.max(0, p - scale(schema));
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        Integer p = precision(schema, source);
        int s = scale(schema);
        if (p == null) {
            return "numeric";
        }
        if (s < 0) {
            return p - s <= MAX_PRECISION ? "numeric(" + (p - s) + ")" : "numeric";
        }
        if (s > p) {
            // Oracle's NUMBER(2,5) holds 0.00099 at most; numeric(s,s) holds it on any PostgreSQL version
            return s <= MAX_PRECISION ? "numeric(" + s + "," + s + ")" : "numeric";
        }
        if (p > MAX_PRECISION) {
            return "numeric";
        }
        return s == 0 ? "numeric(" + p + ")" : "numeric(" + p + "," + s + ")";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        Integer digits = integerDigits(schema, source);
        int fraction = Math.max(0, scale(schema));
        if (Compatibility.holdsExactNumber(target, digits, fraction)) {
            return null;
        }
        String what = source.known() ? source.toString()
                : "Decimal(" + (digits == null ? "scale " : precision(schema, source) + ",") + scale(schema) + ")";
        if (!target.isOneOf("numeric", "smallint", "integer", "bigint")) {
            return Compatibility.cannotHold(target, what, target.isOneOf("real", "double precision")
                    ? "floating point would round decimal digits" : null);
        }
        return Compatibility.cannotHold(target, what, digits == null
                ? "their precision is not known, so only an unconstrained numeric is safe"
                : "numbers with " + digits + " digits before the point and " + fraction + " after it would not fit");
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        out.appendDecimal(decimal(value, schema));
    }

    /** Into a numeric column (of any precision: PostgreSQL rounds to its scale as it does the text form). */
    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        if (!target.isOneOf("numeric")) {
            return null;
        }
        return (v, out) -> {
            BigDecimal d = decimal(v, schema);
            out.appendNumeric(d);
            return CopyTextWriter.decimalLength(d);
        };
    }

    private static BigDecimal decimal(Object value, Schema schema) {
        if (value instanceof BigDecimal d) {
            return d;
        } else if (value instanceof byte[] bytes) {
            return Decimal.toLogical(schema, bytes);
        } else if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return Decimal.toLogical(schema, bytes);
        }
        throw new BadValueException("expected a decimal but got " + value.getClass().getName() + " '" + value + "'");
    }
}
