package io.tidemark.sink.schema;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.naming.Identifiers;
import io.tidemark.sink.types.ColumnType;
import io.tidemark.sink.types.SourceColumn;

/**
 * One column of a target table as the records describe it.
 *
 * @param field      the field in the record schema the model was built from (its index holds
 *                   for every record of an equal schema)
 * @param name       the target column name
 * @param schema     the field's Connect schema
 * @param type       how its values are written
 * @param source     what Debezium says about the source column
 * @param key        part of the primary key
 * @param mayBeUnavailable a LOB-like column (text or bytes) that may carry Debezium's
 *                   "unavailable value" placeholder instead of its content
 */
public record ColumnModel(Field field, String name, Schema schema, ColumnType type, SourceColumn source,
                          boolean key, boolean mayBeUnavailable) {

    public String quotedName() {
        return Identifiers.quote(name);
    }

    /** The column type to create for this field. */
    public String sqlType() {
        return type.sqlType(schema, source);
    }
}
