package io.tidemark.sink.types.debezium;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.ColumnType;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Debezium's {@code io.debezium.data.Enum}, one of the values listed in its {@code allowed}
 * parameter (PostgreSQL and MySQL enums): {@code text}, since the target has no such enum type.
 */
public final class EnumType implements ColumnType {

    public static final EnumType INSTANCE = new EnumType();
    public static final String LOGICAL_NAME = "io.debezium.data.Enum";

    private EnumType() {
    }

    @Override
    public List<String> registrationKeys() {
        return List.of(LOGICAL_NAME);
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "text";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        return Compatibility.holdsText(target, longestAllowed(schema, false)) ? null
                : Compatibility.cannotHold(target, schema, source, target.isOneOf("varchar")
                        ? "the longest allowed value would not fit" : null);
    }

    /**
     * The longest value the {@code allowed} list permits, in characters: its longest entry, or for a
     * set all entries joined by commas; null when the schema does not list them.
     */
    static Integer longestAllowed(Schema schema, boolean set) {
        Map<String, String> params = schema.parameters();
        String allowed = params == null ? null : params.get("allowed");
        if (allowed == null) {
            return null;
        }
        if (set) {
            return allowed.length();
        }
        int longest = 0;
        for (String value : allowed.split(",", -1)) {
            longest = Math.max(longest, value.length());
        }
        return longest;
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        out.appendText(Values.string(value, LOGICAL_NAME));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
