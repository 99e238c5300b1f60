package io.tidemark.sink.types.connect;

import java.nio.ByteBuffer;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.BinaryField;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Connect's {@code BYTES} (Oracle {@code BLOB}, {@code RAW}, {@code LONG RAW} with
 * {@code binary.handling.mode=bytes}; PostgreSQL {@code bytea}): {@code bytea}, written as hex.
 * Arrives as {@code byte[]} (JSON converter) or {@link ByteBuffer} (Avro).
 */
public final class ConnectBytesType extends AbstractColumnType {

    public static final ConnectBytesType INSTANCE = new ConnectBytesType();

    private ConnectBytesType() {
        super(Schema.Type.BYTES.name());
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "bytea";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        return target.isOneOf("bytea") ? null : Compatibility.cannotHold(target, schema, source, null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        if (value instanceof byte[] bytes) {
            out.appendByteaHex(bytes);
        } else if (value instanceof ByteBuffer buffer) {
            out.appendByteaHex(buffer);
        } else {
            throw new BadValueException("expected bytes but got " + value.getClass().getName());
        }
    }

    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        if (!target.isOneOf("bytea")) {
            return null;
        }
        return (v, out) -> {
            if (v instanceof ByteBuffer buffer) {
                out.appendBytes(buffer);
                return CopyTextWriter.byteaHexLength(buffer.remaining());
            } else if (v instanceof byte[] bytes) {
                out.appendBytes(bytes);
                return CopyTextWriter.byteaHexLength(bytes.length);
            }
            throw new BadValueException("expected bytes but got " + v.getClass().getName());
        };
    }
}
