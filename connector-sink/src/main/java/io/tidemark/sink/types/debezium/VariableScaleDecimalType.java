package io.tidemark.sink.types.debezium;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.BinaryField;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Debezium's {@code VariableScaleDecimal}, a struct {@code {scale: int32, value: bytes}} (Oracle
 * {@code NUMBER} without precision and {@code FLOAT(b)}, PostgreSQL {@code numeric} without
 * precision): an unconstrained {@code numeric}, never {@code double precision}, so no digit is lost.
 * {@code value} is the two's-complement big-endian unscaled value; the scale may be negative
 * (Oracle's {@code 1E+125}).
 */
public final class VariableScaleDecimalType extends AbstractColumnType {

    public static final VariableScaleDecimalType INSTANCE = new VariableScaleDecimalType();
    public static final String LOGICAL_NAME = "io.debezium.data.VariableScaleDecimal";

    private VariableScaleDecimalType() {
        super(LOGICAL_NAME);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "numeric";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        if (target.isOneOf("numeric") && target.length() == null) {
            return null;
        }
        return Compatibility.cannotHold(target, schema, source, target.isOneOf("numeric", "smallint", "integer", "bigint",
                "real", "double precision") ? "numbers of any precision and scale need an unconstrained numeric" : null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        Struct struct = struct(value);
        int scale = scale(struct);
        byte[] bytes = unscaled(struct);
        if (bytes.length <= 8) {
            out.appendDecimal(unscaledLong(bytes), scale);
        } else {
            out.appendDecimal(new BigDecimal(new BigInteger(bytes), scale));
        }
    }

    @Override
    public BinaryField binaryField(Schema schema, PgColumnType target) {
        if (!target.isOneOf("numeric")) {
            return null;
        }
        return (value, out) -> {
            Struct struct = struct(value);
            int scale = scale(struct);
            byte[] bytes = unscaled(struct);
            if (bytes.length <= 8) {
                long unscaled = unscaledLong(bytes);
                out.appendNumeric(unscaled, scale);
                return CopyTextWriter.decimalLength(unscaled, scale);
            }
            BigDecimal d = new BigDecimal(new BigInteger(bytes), scale);
            out.appendNumeric(d);
            return CopyTextWriter.decimalLength(d);
        };
    }

    private static Struct struct(Object value) {
        if (!(value instanceof Struct struct)) {
            throw new BadValueException("expected a VariableScaleDecimal struct {scale, value} but got "
                    + value.getClass().getName() + " '" + value + "'");
        }
        return struct;
    }

    /** Two's-complement big-endian bytes (at most 8) as a long, sign-extended. */
    private static long unscaledLong(byte[] bytes) {
        long v = bytes[0];
        for (int i = 1; i < bytes.length; i++) {
            v = (v << 8) | (bytes[i] & 0xFF);
        }
        return v;
    }

    /** The number a VariableScaleDecimal struct holds (its value as {@code byte[]} or, from Avro, {@code ByteBuffer}). */
    public static BigDecimal decimal(Struct struct) {
        return new BigDecimal(new BigInteger(unscaled(struct)), scale(struct));
    }

    private static int scale(Struct struct) {
        if (!(field(struct, 0, "scale") instanceof Integer scale)) {
            throw new BadValueException("VariableScaleDecimal without scale: " + struct);
        }
        return scale;
    }

    /**
     * The struct's field {@code name}, read at its usual {@code position} when it is there: a lookup by
     * name hashes the name for every value (Avro gives each value a schema object of its own).
     */
    private static Object field(Struct struct, int position, String name) {
        List<Field> fields = struct.schema().fields();
        if (position < fields.size() && fields.get(position).name().equals(name)) {
            return struct.get(fields.get(position));
        }
        return struct.get(name);
    }

    private static byte[] unscaled(Struct struct) {
        Object unscaled = field(struct, 1, "value");
        byte[] bytes;
        if (unscaled instanceof byte[] b) {
            bytes = b;
        } else if (unscaled instanceof ByteBuffer buffer) {
            bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
        } else {
            throw new BadValueException("VariableScaleDecimal value is "
                    + (unscaled == null ? "missing" : unscaled.getClass().getName() + ", not bytes") + ": " + struct);
        }
        if (bytes.length == 0) {
            throw new BadValueException("VariableScaleDecimal with an empty value");
        }
        return bytes;
    }
}
