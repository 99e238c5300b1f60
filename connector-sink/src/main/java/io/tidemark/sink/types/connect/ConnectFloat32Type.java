package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
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
