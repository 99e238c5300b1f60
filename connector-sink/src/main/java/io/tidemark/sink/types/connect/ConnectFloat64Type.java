package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BinaryField;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/** Connect's {@code FLOAT64} (Oracle {@code BINARY_DOUBLE}): {@code double precision}, NaN and infinities included. */
public final class ConnectFloat64Type extends AbstractColumnType {

    public static final ConnectFloat64Type INSTANCE = new ConnectFloat64Type();

    private ConnectFloat64Type() {
        super(Schema.Type.FLOAT64.name());
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "double precision";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        if (target.isOneOf("double precision") || (target.isOneOf("numeric") && target.length() == null)) {
            return null;
        }
        return Compatibility.cannotHold(target, schema, source,
                target.isOneOf("real") ? "a real keeps about 7 of a double's 15-17 significant digits"
                        : target.isOneOf("numeric") ? "a bounded numeric cannot hold every double, nor NaN or infinity"
                        : null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        ConnectFloat32Type.writeFloatingPoint(value, out);
    }

    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        return ConnectFloat32Type.floatingPointField(target);
    }
}
