package io.tidemark.sink.copy;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.tidemark.sink.naming.Identifiers;
import io.tidemark.sink.schema.ColumnModel;
import io.tidemark.sink.schema.TableModel;
import io.tidemark.sink.types.BinaryField;
import io.tidemark.sink.types.ColumnType;
import io.tidemark.sink.types.CopyBinaryWriter;
import io.tidemark.sink.types.CopyTextWriter;
import io.tidemark.sink.types.PgColumnType;

/**
 * A session-local (temporary, so unlogged and private to the task's connection) table with the
 * target's column types plus the delete flag and mask id, and the set-based statements that move
 * its rows into the target. One per target table and column layout per connection.
 *
 * <p>Its {@code COPY}s (into it, and straight into the target) are binary when every column's type
 * has a binary form for the target's column type ({@link ColumnType#binaryField}): PostgreSQL then
 * parses no digits, dates or escapes. Otherwise, and for any type in doubt, they are text.
 */
public final class StagingTable {

    public static final String DELETE_FLAG = "__tidemark_delete";
    public static final String MASK = "__tidemark_mask";
    /** The row's position in its encoded segment: names the record of a row set aside. */
    static final String ROW = "__tidemark_row";
    /** Prefix of the other key's columns of a primary-key change, one per key column in key order. */
    static final String OTHER_KEY = "__tidemark_other_";

    private final String name;
    private final TableModel model;
    private final String createSql;
    private final String copySql;
    private final String deleteSql;
    private final String directCopySql;
    /** Each column's binary form, in model order; null when the COPYs are text. */
    private final BinaryField[] binaryFields;
    private final Map<BitSet, String> upsertSqlByMask = new HashMap<>();

    StagingTable(String name, TableModel model, Map<String, String> targetTypes) {
        this.name = name;
        this.model = model;
        List<ColumnModel> columns = model.columns();

        StringJoiner defs = new StringJoiner(", ", "CREATE TEMP TABLE " + name + " (", ")");
        StringJoiner names = new StringJoiner(", ");
        for (ColumnModel c : columns) {
            defs.add(c.quotedName() + " " + targetTypes.get(c.name()));
            names.add(c.quotedName());
        }
        defs.add(Identifiers.quote(DELETE_FLAG) + " boolean").add(Identifiers.quote(MASK) + " integer")
                .add(Identifiers.quote(ROW) + " integer");
        StringJoiner staged = new StringJoiner(", ").add(Identifiers.quote(DELETE_FLAG)).add(Identifiers.quote(MASK))
                .add(Identifiers.quote(ROW));
        for (int j = 0; j < model.keyColumns().size(); j++) {
            defs.add(otherKey(j) + " " + targetTypes.get(model.keyColumns().get(j).name()));
            staged.add(otherKey(j));
        }
        this.createSql = defs.toString();
        this.binaryFields = binaryFields(columns, targetTypes);
        String format = binaryFields == null ? "text" : "binary";
        this.copySql = "COPY " + name + " (" + names + ", " + staged + ") FROM STDIN (FORMAT " + format + ")";
        this.directCopySql = "COPY " + model.target().quoted() + " (" + names + ") FROM STDIN (FORMAT " + format + ")";

        StringJoiner keyMatch = new StringJoiner(" AND ");
        for (ColumnModel k : model.keyColumns()) {
            keyMatch.add("t." + k.quotedName() + " = s." + k.quotedName());
        }
        this.deleteSql = "DELETE FROM " + model.target().quoted() + " t USING " + name + " s WHERE s."
                + Identifiers.quote(DELETE_FLAG) + " AND " + keyMatch;
    }

    /** The binary form of every column into its target type, or null when one has none. */
    private static BinaryField[] binaryFields(List<ColumnModel> columns, Map<String, String> targetTypes) {
        BinaryField[] fields = new BinaryField[columns.size()];
        for (int i = 0; i < fields.length; i++) {
            ColumnModel c = columns.get(i);
            fields[i] = c.type().binaryField(c.schema(), PgColumnType.parse(targetTypes.get(c.name())));
            if (fields[i] == null) {
                return null;
            }
        }
        return fields;
    }

    /** Whether this table's COPYs are binary. */
    public boolean binary() {
        return binaryFields != null;
    }

    /** The rows of a COPY of this table, in its format, into whichever buffer that format uses. */
    public CopyRows rows(CopyTextWriter text, CopyBinaryWriter binary) {
        return binaryFields == null ? new CopyRows.Text(text) : new CopyRows.Binary(binary, binaryFields);
    }

    /** The quoted column of the other key's {@code j}-th key column. */
    static String otherKey(int j) {
        return Identifiers.quote(OTHER_KEY + j);
    }

    public String name() {
        return name;
    }

    public TableModel model() {
        return model;
    }

    String createSql() {
        return createSql;
    }

    String copySql() {
        return copySql;
    }

    /** A COPY of rows (without the staging columns) straight into the target table. */
    String directCopySql() {
        return directCopySql;
    }

    String deleteSql() {
        return deleteSql;
    }

    String truncateTargetSql() {
        return "TRUNCATE " + model.target().quoted();
    }

    String clearSql() {
        return "TRUNCATE " + name;
    }

    /**
     * The upsert of the staged rows with one mask id: insert, or on a key conflict update every
     * column but the key and the ones the mask says the change did not carry.
     *
     * @param onlyMask false when every staged row has this mask, so the statement need not filter
     */
    String upsertSql(int maskId, BitSet unavailable, boolean onlyMask) {
        String base = upsertSqlByMask.computeIfAbsent(unavailable, this::buildUpsert);
        String filter = onlyMask ? "" : " AND s." + Identifiers.quote(MASK) + " = " + maskId;
        return base.replace("/*MASK*/", filter);
    }

    private String buildUpsert(BitSet unavailable) {
        List<ColumnModel> columns = model.columns();
        StringJoiner names = new StringJoiner(", ");
        StringJoiner selected = new StringJoiner(", ");
        StringJoiner updates = new StringJoiner(", ");
        StringJoiner keys = new StringJoiner(", ");
        for (int i = 0; i < columns.size(); i++) {
            ColumnModel c = columns.get(i);
            names.add(c.quotedName());
            selected.add("s." + c.quotedName());
            if (c.key()) {
                keys.add(c.quotedName());
            } else if (!unavailable.get(i)) {
                updates.add(c.quotedName() + " = EXCLUDED." + c.quotedName());
            }
        }
        String conflict = updates.length() == 0 ? "DO NOTHING" : "DO UPDATE SET " + updates;
        return "INSERT INTO " + model.target().quoted() + " (" + names + ") SELECT " + selected + " FROM " + name
                + " s WHERE NOT s." + Identifiers.quote(DELETE_FLAG) + "/*MASK*/ ON CONFLICT (" + keys + ") " + conflict;
    }
}
