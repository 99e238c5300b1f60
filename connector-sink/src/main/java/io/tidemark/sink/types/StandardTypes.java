package io.tidemark.sink.types;

import java.util.List;

import org.apache.kafka.connect.data.Schema;

/** Every {@link ColumnType} Tidemark registers. (Placeholder set: int64 and string.) */
final class StandardTypes {

    static final ColumnTypes INSTANCE = new ColumnTypes(List.of(new Int64(), new Text()));

    private StandardTypes() {
    }

    private static final class Int64 implements ColumnType {
        public List<String> registrationKeys() { return List.of("INT64", "INT32", "INT16", "INT8"); }
        public String sqlType(Schema schema, SourceColumn source) { return "bigint"; }
        public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
            return target.isOneOf("bigint", "integer", "smallint", "numeric") ? null : target + " cannot hold integers";
        }
        public void writeCopyText(Object value, Schema schema, CopyTextWriter out) { out.appendLong(((Number) value).longValue()); }
    }

    private static final class Text implements ColumnType {
        public List<String> registrationKeys() { return List.of("STRING"); }
        public String sqlType(Schema schema, SourceColumn source) { return "text"; }
        public String incompatibility(PgColumnType target, Schema schema, SourceColumn source) {
            return target.isOneOf("text", "varchar", "char") ? null : target + " cannot hold text";
        }
        public void writeCopyText(Object value, Schema schema, CopyTextWriter out) { out.appendText((String) value); }
    }
}
