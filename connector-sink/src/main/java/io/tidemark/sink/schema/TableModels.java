package io.tidemark.sink.schema;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.naming.Identifiers;
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
    private final Map<SourceTable, TargetTable> targets = new HashMap<>();
    private final Map<TargetTable, SourceTable> sources = new HashMap<>();

    private record Entry(Schema keySchema, Schema rowSchema, TableModel model) {
    }

    public TableModels(NameMapper names, ColumnTypes types) {
        this.names = names;
        this.types = types;
    }

    /**
     * The target table of a source table, checked: its names must be usable PostgreSQL identifiers
     * (a longer one would be truncated silently), and no other source table of this task may map
     * to it (PostgreSQL would merge their rows). {@code validate} checks the same for the tables
     * the configuration names; with {@code topics.regex} only this check can see them.
     *
     * @throws TableDefinitionException naming the problem and the setting that fixes it
     */
    public TargetTable target(SourceTable source) {
        TargetTable known = targets.get(source);
        if (known != null) {
            return known;
        }
        TargetTable target = names.table(source);
        String problem = Identifiers.problem(target.schema());
        if (problem == null) {
            problem = Identifiers.problem(target.name());
        }
        if (problem != null) {
            throw new TableDefinitionException("table " + source + " maps to " + target + ", which is not a usable "
                    + "PostgreSQL name: " + problem + ". Give it a shorter name with table.rename (or schema.rename)");
        }
        SourceTable other = sources.putIfAbsent(target, source);
        if (other != null && !other.equals(source)) {
            throw new TableDefinitionException("tables " + other + " and " + source + " both map to table " + target
                    + ": give one of them another name with table.rename (e.g. " + source + ":" + target.name()
                    + "_2)");
        }
        targets.put(source, target);
        return target;
    }

    /** The target table's name for status and logs, unchecked. */
    public String targetName(SourceTable source) {
        return names.table(source).toString();
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
        TableModel model = TableModel.build(source, target(source), keySchema, rowSchema, names, types);
        last.put(source, new Entry(keySchema, rowSchema, model));
        return model;
    }
}
