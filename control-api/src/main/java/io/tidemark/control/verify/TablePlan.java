package io.tidemark.control.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * What is compared for one table: its names on both sides, its key, and each compared column's
 * canonical form (key columns first). Columns no rule covers are left out and named in {@code skipped}.
 *
 * @param sourceTable the table as the project names it ({@code SCHEMA.TABLE}, the topic's words)
 * @param mode        {@code FULL} or {@code PARTIAL}
 * @param keyCount    the first {@code keyCount} columns are the key; 0 for a table without one
 */
public record TablePlan(String sourceTable, String targetTable, String mode, String sourceSql, String targetSql,
                        List<Column> columns, int keyCount, List<String> skipped) {

    /**
     * A compared column: its name on each side, whether its key order is textual, its canonical form, and its type
     * on each side as SQL names it (null where not known: a key is then matched by its canonical form).
     */
    public record Column(String target, String source, boolean text, Canonical canonical, String targetType,
                         String sourceType) {

        public Column(String target, String source, boolean text, Canonical canonical) {
            this(target, source, text, canonical, null, null);
        }
    }

    public boolean keyed() {
        return keyCount > 0;
    }

    public boolean full() {
        return "FULL".equalsIgnoreCase(mode);
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::target).toList();
    }

    List<String> canonicals(SideSql sql, boolean target) {
        List<String> out = new ArrayList<>();
        for (Column c : columns) {
            out.add(target ? c.canonical().targetOf(sql.quote(c.target())) : c.canonical().sourceOf(sql.quote(c.source())));
        }
        return out;
    }

    List<String> keys(SideSql sql, boolean target) {
        return columns.subList(0, keyCount).stream().map(c -> sql.quote(target ? c.target() : c.source())).toList();
    }

    /** One predicate per key column matching a key given as values in text (one {@code ?} each). */
    List<String> keyMatch(SideSql sql, boolean target) {
        return columns.subList(0, keyCount).stream().map(c -> sql.keyEquals(sql.quote(target ? c.target() : c.source()),
                target ? c.targetType() : c.sourceType())).toList();
    }

    List<String> orderedKeys(SideSql sql, boolean target) {
        return columns.subList(0, keyCount).stream()
                .map(c -> sql.ordered(sql.quote(target ? c.target() : c.source()), c.text())).toList();
    }
}
