package io.tidemark.sink.schema;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.naming.NameMapper;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.naming.TargetTable;
import io.tidemark.sink.types.ColumnTypes;

/**
 * Table models by table and record schema. Converters hand out the same schema object for every
 * record of one schema version, so the common case is an identity hit; {@code equals} on Connect
 * schemas walks every field and is kept for the rare miss.
 */
public final class TableModels {

    private final NameMapper names;
    private final ColumnTypes types;
    private final Map<SourceTable, Entry> last = new HashMap<>();

    private record Entry(Schema keySchema, Schema rowSchema, TableModel model) {
    }

    public TableModels(NameMapper names, ColumnTypes types) {
        this.names = names;
        this.types = types;
    }

    public TargetTable target(SourceTable source) {
        return names.table(source);
    }

    /**
     * @param rowSchema null for a key-only model
     * @throws TableDefinitionException when the schemas do not make a usable table
     */
    public TableModel model(SourceTable source, Schema keySchema, Schema rowSchema) {
        Entry entry = last.get(source);
        if (entry != null && entry.keySchema == keySchema && entry.rowSchema == rowSchema) {
            return entry.model;
        }
        if (entry != null && Objects.equals(entry.keySchema, keySchema) && Objects.equals(entry.rowSchema, rowSchema)) {
            last.put(source, new Entry(keySchema, rowSchema, entry.model));
            return entry.model;
        }
        TableModel model = TableModel.build(source, names.table(source), keySchema, rowSchema, names, types);
        last.put(source, new Entry(keySchema, rowSchema, model));
        return model;
    }
}
