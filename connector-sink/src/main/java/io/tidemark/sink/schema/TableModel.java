package io.tidemark.sink.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

import io.tidemark.sink.naming.Identifiers;
import io.tidemark.sink.naming.NameMapper;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.naming.TargetTable;
import io.tidemark.sink.types.ColumnType;
import io.tidemark.sink.types.ColumnTypes;
import io.tidemark.sink.types.SourceColumn;

/**
 * A target table as one version of the records describes it: its columns in record order, which
 * of them form the key. Built from the key schema and the row schema; a model from a key schema
 * alone (a table seen only through tombstones so far) can delete but not upsert.
 */
public final class TableModel {

    private final SourceTable source;
    private final TargetTable target;
    private final Schema keySchema;
    private final Schema rowSchema;
    private final List<ColumnModel> columns;
    private final List<ColumnModel> keyColumns;
    private final Map<String, ColumnModel> byField;
    private final List<Field> mayBeUnavailable;

    private TableModel(SourceTable source, TargetTable target, Schema keySchema, Schema rowSchema,
                       List<ColumnModel> columns, List<ColumnModel> keyColumns) {
        this.source = source;
        this.target = target;
        this.keySchema = keySchema;
        this.rowSchema = rowSchema;
        this.columns = List.copyOf(columns);
        this.keyColumns = List.copyOf(keyColumns);
        this.byField = new HashMap<>();
        columns.forEach(c -> byField.put(c.field().name(), c));
        this.mayBeUnavailable = columns.stream().filter(ColumnModel::mayBeUnavailable).map(ColumnModel::field).toList();
    }

    /** The prefix of the staging tables' own columns (the changes' flags, iterations, partitions). */
    public static final String RESERVED_PREFIX = "__tidemark_";

    /**
     * @param rowSchema the row's schema, or null for a key-only model
     * @throws TableDefinitionException when a key field is not in the row, a field type has no
     *                                  mapping, or two fields land in one column
     */
    public static TableModel build(SourceTable source, TargetTable target, Schema keySchema, Schema rowSchema,
                                   NameMapper names, ColumnTypes types) {
        List<ColumnModel> columns = new ArrayList<>();
        Map<String, String> fieldByColumn = new HashMap<>();
        List<Field> fields = rowSchema != null ? rowSchema.fields() : keySchema.fields();
        for (Field field : fields) {
            boolean key = keySchema.field(field.name()) != null;
            Schema schema = field.schema();
            ColumnType type;
            try {
                type = types.resolve(schema);
            } catch (ColumnTypes.UnsupportedTypeException e) {
                throw new TableDefinitionException("table " + source + ", field " + field.name() + ": " + e.getMessage());
            }
            String name = names.column(source, field.name());
            String problem = Identifiers.problem(name);
            if (problem != null) {
                throw new TableDefinitionException("table " + source + ", field " + field.name()
                        + ": the column name is not usable: " + problem + " (rename it with column.rename)");
            }
            if (name.toLowerCase(java.util.Locale.ROOT).startsWith(RESERVED_PREFIX)) {
                throw new TableDefinitionException("table " + source + ", field " + field.name() + ": the column name '"
                        + name + "' is reserved: names starting with " + RESERVED_PREFIX + " are the sink's own staging "
                        + "columns, and such a column would collide with them (rename it with column.rename, e.g. "
                        + source + "." + field.name() + ":" + name.substring(RESERVED_PREFIX.length()) + ")");
            }
            String previous = fieldByColumn.put(name, field.name());
            if (previous != null) {
                throw new TableDefinitionException("table " + source + ": fields " + previous + " and " + field.name()
                        + " both map to column '" + name + "' (use column.rename, or name.case=preserve)");
            }
            boolean lobLike = !key && (schema.type() == Schema.Type.STRING || schema.type() == Schema.Type.BYTES);
            columns.add(new ColumnModel(field, name, schema, type, SourceColumn.of(schema), key, lobLike));
        }
        List<ColumnModel> keyColumns = new ArrayList<>();
        for (Field keyField : keySchema.fields()) {
            ColumnModel column = columns.stream().filter(c -> c.field().name().equals(keyField.name())).findFirst()
                    .orElseThrow(() -> new TableDefinitionException("table " + source + ": key field " + keyField.name()
                            + " is not a field of the row (" + fieldNames(rowSchema) + ")"));
            keyColumns.add(column);
        }
        if (keyColumns.isEmpty()) {
            throw new TableDefinitionException("table " + source + " has no primary key: its record key has no fields");
        }
        return new TableModel(source, target, keySchema, rowSchema, columns, keyColumns);
    }

    private static String fieldNames(Schema schema) {
        return schema == null ? "" : String.join(", ", schema.fields().stream().map(Field::name).toList());
    }

    public SourceTable source() {
        return source;
    }

    public TargetTable target() {
        return target;
    }

    public Schema keySchema() {
        return keySchema;
    }

    /** The row schema, or null for a key-only model. */
    public Schema rowSchema() {
        return rowSchema;
    }

    public boolean keyOnly() {
        return rowSchema == null;
    }

    public List<ColumnModel> columns() {
        return columns;
    }

    public List<ColumnModel> keyColumns() {
        return keyColumns;
    }

    /** The fields of the columns that may carry the unavailable-value placeholder (text and bytes, not the key). */
    public List<Field> mayBeUnavailable() {
        return mayBeUnavailable;
    }

    public ColumnModel column(String field) {
        return byField.get(field);
    }

    @Override
    public String toString() {
        return source + " -> " + target + " " + columns.stream().map(ColumnModel::name).toList();
    }
}
