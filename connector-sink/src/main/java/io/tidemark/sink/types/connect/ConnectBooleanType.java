package io.tidemark.sink.types.connect;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.BinaryField;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/** Connect's {@code BOOLEAN} (Oracle 23ai {@code BOOLEAN}, PostgreSQL {@code bool} and {@code bit(1)}): {@code boolean}. */
public final class ConnectBooleanType extends AbstractColumnType {

    public static final ConnectBooleanType INSTANCE = new ConnectBooleanType();

    private ConnectBooleanType() {
        super(Schema.Type.BOOLEAN.name());
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "boolean";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        return target.isOneOf("boolean") ? null : Compatibility.cannotHold(target, schema, source, null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        if (!(value instanceof Boolean b)) {
            throw new BadValueException("expected a boolean but got " + value.getClass().getName() + " '" + value + "'");
        }
        out.appendBoolean(b);
    }

    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        if (!target.isOneOf("boolean")) {
            return null;
        }
        return (v, out) -> {
            if (!(v instanceof Boolean b)) {
                throw new BadValueException("expected a boolean but got " + v.getClass().getName() + " '" + v + "'");
            }
            out.appendBoolean(b);
            return 1; // t or f
        };
    }
}
