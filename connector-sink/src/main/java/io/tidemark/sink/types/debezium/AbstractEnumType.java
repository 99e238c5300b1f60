package io.tidemark.sink.types.debezium;

import java.util.Map;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Debezium's enumerations, strings drawn from the comma-separated {@code allowed} parameter:
 * {@code text}, since the target has no such enum type. A {@code varchar(n)} holds them when
 * {@code n} covers the longest value {@code allowed} permits.
 */
abstract class AbstractEnumType extends AbstractColumnType {

    private final String logicalName;
    private final boolean set;

    AbstractEnumType(String logicalName, boolean set) {
        super(logicalName);
        this.logicalName = logicalName;
        this.set = set;
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return "text";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        return Compatibility.holdsText(target, longestAllowed(schema)) ? null
                : Compatibility.cannotHold(target, schema, source, target.isOneOf("varchar")
                        ? "the longest allowed " + (set ? "set" : "value") + " would not fit" : null);
    }

    /**
     * The longest value {@code allowed} permits, in characters: its longest entry, or for a set all
     * entries joined by commas; null when the schema does not list them.
     */
    private Integer longestAllowed(Schema schema) {
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
        out.appendText(Values.string(value, logicalName));
    }
}
