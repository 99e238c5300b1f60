package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/** Debezium's {@code io.debezium.data.Uuid}, the canonical 36-character form (PostgreSQL {@code uuid}): {@code uuid}. */
public final class UuidType extends AbstractColumnType {

    public static final UuidType INSTANCE = new UuidType();
    public static final String LOGICAL_NAME = "io.debezium.data.Uuid";

    private UuidType() {
        super(LOGICAL_NAME);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "uuid";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        return target.isOneOf("uuid") || Compatibility.holdsText(target, 36) ? null
                : Compatibility.cannotHold(target, schema, source, null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        String uuid = Values.string(value, LOGICAL_NAME);
        if (!isCanonical(uuid)) {
            throw new BadValueException("'" + uuid + "' is not a UUID in its canonical form (8-4-4-4-12 hex digits)");
        }
        out.appendAscii(uuid);
    }

    static boolean isCanonical(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
