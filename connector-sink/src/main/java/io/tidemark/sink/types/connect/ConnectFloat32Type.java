package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.BinaryField;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/** Connect's {@code FLOAT32} (Oracle {@code BINARY_FLOAT}): {@code real}, NaN and infinities included. */
public final class ConnectFloat32Type extends AbstractColumnType {

    public static final ConnectFloat32Type INSTANCE = new ConnectFloat32Type();

    private ConnectFloat32Type() {
        super(Schema.Type.FLOAT32.name());
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "real";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        // an unconstrained numeric holds the shortest decimal of every float, NaN and infinities too
        if (target.isOneOf("real", "double precision") || (target.isOneOf("numeric") && target.length() == null)) {
            return null;
        }
        return Compatibility.cannotHold(target, schema, source,
                target.isOneOf("numeric") ? "a bounded numeric cannot hold every float, nor NaN or infinity" : null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        writeFloatingPoint(value, out);
    }

    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        return floatingPointField(target);
    }

    /**
     * A real or double precision column, whichever the converter delivered: the other width goes
     * through its shortest text, as PostgreSQL reads the text form (a float 1.1 into double
     * precision is 1.1, not 1.100000023841858).
     */
    static BinaryField floatingPointField(PgColumnType target) {
        if (target.isOneOf("real")) {
            return (v, out) -> {
                out.appendFloat4(v instanceof Float f ? f : v instanceof Double d ? narrowed(d) : notFloatingPoint(v));
                return textLength(v);
            };
        }
        if (target.isOneOf("double precision")) {
            return (v, out) -> {
                out.appendFloat8(v instanceof Double d ? d
                        : v instanceof Float f ? Double.parseDouble(Float.toString(f)) : notFloatingPoint(v));
                return textLength(v);
            };
        }
        return null;
    }

    /** The bytes {@link #writeFloatingPoint} writes: the value's own shortest text, whatever the column. */
    private static int textLength(Object value) {
        return value instanceof Float f ? Float.toString(f).length() : Double.toString((Double) value).length();
    }

    /** A double into real as PostgreSQL reads its text: refused when it overflows or underflows to zero. */
    private static float narrowed(double d) {
        float f = Float.parseFloat(Double.toString(d));
        if ((f == 0 && d != 0) || (Float.isInfinite(f) && !Double.isInfinite(d))) {
            throw new BadValueException("\"" + d + "\" is out of range for type real");
        }
        return f;
    }

    private static float notFloatingPoint(Object value) {
        throw new BadValueException("expected a float or double but got " + value.getClass().getName() + " '" + value + "'");
    }

    /** Floats and doubles, whichever the converter delivered, each in its own shortest form. */
    static void writeFloatingPoint(Object value, CopyTextWriter out) {
        if (value instanceof Float f) {
            out.appendFloat(f);
        } else if (value instanceof Double d) {
            out.appendDouble(d);
        } else {
            throw new BadValueException("expected a floating-point number but got " + value.getClass().getName()
                    + " '" + value + "'");
        }
    }
}
