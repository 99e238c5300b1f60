package io.tidemark.sink.types.debezium;

import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Debezium's {@code io.debezium.data.Bits}: bytes holding a bit string, least significant byte first
 * and bit 0 the rightmost bit, with the declared length in the {@code length} parameter (PostgreSQL
 * {@code bit(n)}/{@code varbit(n)}, MySQL {@code BIT(n)}): {@code bit varying(n)}, or {@code bit(n)}
 * when the source says {@code BIT}. Fixed-length values are written with all {@code n} bits. Debezium
 * drops the leading zeros of a {@code varbit} value at the source ({@code 0011} arrives as {@code 11}),
 * so those are written without them.
 */
public final class BitsType extends AbstractColumnType {

    public static final BitsType INSTANCE = new BitsType();
    public static final String LOGICAL_NAME = "io.debezium.data.Bits";

    /** PostgreSQL's longest bit string. */
    private static final int MAX_BITS = 83_886_080;

    private BitsType() {
        super(LOGICAL_NAME);
    }

    private static Integer length(Schema schema) {
        Map<String, String> params = schema.parameters();
        String length = params == null ? null : params.get("length");
        if (length == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(length.trim());
            return n >= 1 && n <= MAX_BITS ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean varying(SourceColumn source) {
        return source.is("VARBIT", "BIT VARYING");
    }

    private static boolean declaredFixed(SourceColumn source) {
        return source.is("BIT") && !varying(source);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        Integer n = length(schema);
        if (n != null && declaredFixed(source)) {
            return "bit(" + n + ")";
        }
        return n == null ? "bit varying" : "bit varying(" + n + ")";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        Integer n = length(schema);
        if (target.isOneOf("varbit") && (target.length() == null || (n != null && n <= target.length()))) {
            return null;
        }
        if (target.isOneOf("bit") && n != null && !varying(source) && n.equals(target.length())) {
            return null;
        }
        return Compatibility.cannotHold(target, schema, source, target.isOneOf("varbit", "bit")
                ? "bit strings of " + (n == null ? "unknown" : "up to " + n) + " bits would not fit exactly" : null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        byte[] bytes;
        if (value instanceof byte[] b) {
            bytes = b;
        } else if (value instanceof ByteBuffer buffer) {
            bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
        } else {
            throw new BadValueException(LOGICAL_NAME + " should be bytes but is " + value.getClass().getName());
        }
        int highest = -1;
        for (int i = bytes.length - 1; i >= 0 && highest < 0; i--) {
            int b = bytes[i] & 0xFF;
            if (b != 0) {
                highest = i * 8 + 31 - Integer.numberOfLeadingZeros(b);
            }
        }
        Integer n = length(schema);
        int bits = highest + 1;
        if (n != null && !varying(SourceColumn.of(schema))) {
            if (highest >= n) {
                throw new BadValueException("bit string has bit " + highest + " set but is declared " + n + " bits long");
            }
            bits = n;
        }
        for (int i = bits - 1; i >= 0; i--) {
            int b = i / 8 < bytes.length ? bytes[i / 8] >> (i % 8) & 1 : 0;
            out.appendByte('0' + b);
        }
    }
}
