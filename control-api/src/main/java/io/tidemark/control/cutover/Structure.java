package io.tidemark.control.cutover;

import java.util.ArrayList;
import java.util.List;

/**
 * What the source's catalog says about the migrated tables beyond their columns and key: the
 * structure a migration target is loaded without. Tables are named as the control schema names
 * them ({@code SCHEMA.TABLE} of the source), columns as the source names them; expressions are in
 * the source's dialect, translated only when planned. What the reader met and cannot express here
 * is in {@link #unread}, with the reason, so nothing is dropped silently.
 */
public record Structure(List<NotNull> notNulls, List<ColumnDefault> defaults, List<Check> checks, List<Index> indexes,
                        List<ForeignKey> foreignKeys, List<Sequence> sequences, List<Identity> identities,
                        List<HandReview> unread) {

    public static Structure empty() {
        return new Structure(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    public record NotNull(String table, String column) {
    }

    public record ColumnDefault(String table, String column, String expression) {
    }

    public record Check(String table, String name, String expression) {
    }

    /** One key of an index: a column, or an expression (then {@code column} is null). */
    public record IndexKey(String column, String expression, boolean descending) {

        public static IndexKey column(String name, boolean descending) {
            return new IndexKey(name, null, descending);
        }
    }

    /**
     * @param constraint a UNIQUE constraint backed by this index (restored as the index, then the constraint on it)
     * @param method     the access method (btree unless the source says otherwise)
     * @param predicate  a partial index's WHERE, null for a whole-table index
     */
    public record Index(String table, String name, boolean unique, boolean constraint, List<IndexKey> keys,
                        List<String> include, String method, String predicate) {
    }

    /** @param onDelete, onUpdate SQL words: NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT */
    public record ForeignKey(String table, String name, List<String> columns, String referencedTable,
                             List<String> referencedColumns, String onDelete, String onUpdate) {
    }

    /**
     * A sequence of the migrated schemas. {@code nextValue} is the value the source would hand out next
     * (never less: Oracle's LAST_NUMBER counts its cache as used).
     *
     * @param ownedByTable, ownedByColumn the column it feeds (a serial), or null
     */
    public record Sequence(String schema, String name, long nextValue, long increment, Long minValue, Long maxValue,
                           boolean cycle, String ownedByTable, String ownedByColumn) {
    }

    /** An identity column; {@code always}: GENERATED ALWAYS, else BY DEFAULT. */
    public record Identity(String table, String column, boolean always, long nextValue, long increment) {
    }

    /** Something that is not restored by the cutover: what it is, on which table, and why. */
    public record HandReview(String table, String what, String reason) {
    }
}
