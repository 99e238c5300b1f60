package io.tidemark.sink.types.debezium;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.types.AbstractColumnType;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.Compatibility;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * Debezium's {@code io.debezium.data.Json} (PostgreSQL {@code json}/{@code jsonb}, Oracle {@code JSON}):
 * {@code jsonb}, or {@code json} when the source column is PostgreSQL's {@code json}, whose exact text
 * (key order, spacing, duplicate keys) {@code jsonb} would not keep. {@code jsonb} refuses the NUL
 * escape (backslash, u0000); such a value is a bad value here rather than a failed COPY.
 */
public final class JsonType extends AbstractColumnType {

    public static final JsonType INSTANCE = new JsonType();
    public static final String LOGICAL_NAME = "io.debezium.data.Json";

    private JsonType() {
        super(LOGICAL_NAME);
    }

    private static boolean keepsText(SourceColumn source) {
        return "JSON".equals(source.typeName());
    }

    @Override
    public String sqlType(Schema schema, SourceColumn source) {
        return keepsText(source) ? "json" : "jsonb";
    }

    @Override
    public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
        return target.isOneOf("jsonb", "json") || Compatibility.holdsText(target, null) ? null
                : Compatibility.cannotHold(target, schema, source, null);
    }

    @Override
    public void writeCopyText(Object value, Schema schema, CopyTextWriter out) {
        String json = Values.string(value, LOGICAL_NAME);
        if (!"JSON".equals(schema.parameters() == null ? null : schema.parameters().get(SourceColumn.TYPE_PARAM))) {
            int at = escapedNul(json);
            if (at >= 0) {
                throw new BadValueException("JSON value contains the escape \\u0000 at position " + at
                        + ", which PostgreSQL's jsonb cannot store");
            }
        }
        out.appendText(json);
    }

    /** The position of a NUL escape (backslash, u0000; not an escaped backslash followed by u0000), or -1. */
    static int escapedNul(String json) {
        for (int at = json.indexOf("\\u0000"); at >= 0; at = json.indexOf("\\u0000", at + 1)) {
            int backslashes = 0;
            for (int i = at; i >= 0 && json.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                return at;
            }
        }
        return -1;
    }
}
