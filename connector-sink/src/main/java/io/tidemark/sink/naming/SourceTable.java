package io.tidemark.sink.naming;

/**
 * A table as the source names it, taken from its topic: Debezium's {@code <prefix>.<SCHEMA>.<TABLE>}
 * gives schema and table; a topic without dots gives a table without schema.
 *
 * @param schema source schema, or null when the topic names none
 * @param table  source table
 */
public record SourceTable(String schema, String table) {

    public static SourceTable fromTopic(String topic) {
        int last = topic.lastIndexOf('.');
        if (last < 0) {
            return new SourceTable(null, topic);
        }
        int previous = topic.lastIndexOf('.', last - 1);
        return new SourceTable(topic.substring(previous + 1, last), topic.substring(last + 1));
    }

    /** {@code SCHEMA.TABLE} (or {@code TABLE}), the form config entries use. */
    public String qualified() {
        return schema == null ? table : schema + "." + table;
    }

    @Override
    public String toString() {
        return qualified();
    }
}
