package io.tidemark.control.cutover;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.tidemark.control.cutover.RestorePlan.Statement;
import io.tidemark.control.cutover.RestorePlan.Step;
import io.tidemark.sink.naming.Identifiers;
import io.tidemark.sink.naming.TargetTable;

/**
 * From the source's structure, the sink's names and what the target has already, the statements
 * that restore the rest: a pure function, so that a rerun (which reads the target again) plans only
 * what is missing. Constraints are added NOT VALID and validated after, so that the long scan runs
 * under a lock that lets writes through; indexes are built CONCURRENTLY unless the table is
 * partitioned (PostgreSQL does not build those concurrently).
 */
public final class RestorePlanner {

    private final TargetNames names;
    private final ExpressionTranslator.Dialect dialect;

    public RestorePlanner(TargetNames names, ExpressionTranslator.Dialect dialect) {
        this.names = names;
        this.dialect = dialect;
    }

    public RestorePlan plan(Structure s, TargetCatalog target) {
        RestorePlan plan = RestorePlan.empty();
        plan.handReview().addAll(s.unread());
        Map<String, TargetTable> sequenceTargets = sequenceTargets(s);
        notNulls(s, target, plan);
        for (Structure.Sequence q : s.sequences()) {
            sequence(q, sequenceTargets.get(q.schema() + "." + q.name()), target, plan);
        }
        for (Structure.ColumnDefault d : s.defaults()) {
            String column = column(d.table(), d.column(), target, plan, "default of " + d.column());
            if (column == null) {
                continue;
            }
            if (target.withDefault().contains(key(d.table()) + "." + column)) {
                plan.inPlace().add(d.table() + ": default of " + d.column());
                continue;
            }
            ExpressionTranslator.Result r = translator(d.table(), target, sequenceTargets).translate(d.expression());
            if (!r.portable()) {
                plan.handReview().add(new Structure.HandReview(d.table(), "default of " + d.column() + ": "
                        + d.expression(), r.problem()));
                continue;
            }
            add(plan, Step.DEFAULTS, d.table(), "default of " + d.column(), "ALTER TABLE " + quoted(d.table())
                    + " ALTER COLUMN " + Identifiers.quote(column) + " SET DEFAULT " + r.sql(), false);
        }
        for (Structure.Check k : s.checks()) {
            ExpressionTranslator.Result r = translator(k.table(), target, sequenceTargets).translate(k.expression());
            if (!r.portable()) {
                plan.handReview().add(new Structure.HandReview(k.table(), "check " + k.name() + ": " + k.expression(),
                        r.problem()));
                continue;
            }
            constraint(plan, target, Step.CHECKS, k.table(), null, k.name(), "check " + k.name(), "CHECK (" + r.sql() + ")");
        }
        for (Structure.Index i : s.indexes()) {
            index(i, target, sequenceTargets, plan);
        }
        for (Structure.Identity id : s.identities()) {
            identity(id, target, plan);
        }
        for (Structure.ForeignKey f : s.foreignKeys()) {
            List<String> columns = columns(f.table(), f.columns());
            List<String> referenced = columns(f.referencedTable(), f.referencedColumns());
            constraint(plan, target, Step.FOREIGN_KEYS, f.table(), f.referencedTable(), f.name(), "foreign key " + f.name() + " to "
                    + f.referencedTable(), "FOREIGN KEY (" + columns.stream().map(Identifiers::quote).collect(Collectors.joining(", "))
                    + ") REFERENCES " + quoted(f.referencedTable()) + " (" + referenced.stream().map(Identifiers::quote)
                    .collect(Collectors.joining(", ")) + ")" + rule("DELETE", f.onDelete()) + rule("UPDATE", f.onUpdate()));
        }
        return plan;
    }

    private void notNulls(Structure s, TargetCatalog target, RestorePlan plan) {
        Map<String, List<String>> perTable = new LinkedHashMap<>();
        for (Structure.NotNull n : s.notNulls()) {
            String column = column(n.table(), n.column(), target, plan, "NOT NULL of " + n.column());
            if (column == null) {
                continue;
            }
            if (target.notNull().contains(key(n.table()) + "." + column)) {
                plan.inPlace().add(n.table() + ": NOT NULL " + n.column());
            } else {
                perTable.computeIfAbsent(n.table(), t -> new ArrayList<>()).add(column);
            }
        }
        // One ALTER TABLE per table: PostgreSQL checks all its columns in one scan.
        perTable.forEach((table, columns) -> add(plan, Step.NOT_NULL, table, "NOT NULL " + String.join(", ", columns),
                "ALTER TABLE " + quoted(table) + " " + columns.stream().map(c -> "ALTER COLUMN " + Identifiers.quote(c)
                        + " SET NOT NULL").collect(Collectors.joining(", ")), false));
    }

    private void sequence(Structure.Sequence q, TargetTable t, TargetCatalog target, RestorePlan plan) {
        String table = q.ownedByTable() == null ? q.schema() + "." + q.name() : q.ownedByTable();
        String what = "sequence " + q.name() + " next " + q.nextValue();
        Long next = target.sequences().get(t.toString());
        if (next != null && next >= q.nextValue()) {
            plan.inPlace().add(table + ": " + what + " (target hands out " + next + " next)");
            return;
        }
        if (next == null) {
            add(plan, Step.SEQUENCES, table, "create " + what, "CREATE SEQUENCE " + t.quoted() + " INCREMENT BY "
                    + q.increment() + (q.minValue() == null ? "" : " MINVALUE " + q.minValue())
                    + (q.maxValue() == null ? "" : " MAXVALUE " + q.maxValue()) + " START WITH " + q.nextValue()
                    + (q.cycle() ? " CYCLE" : "") + (q.ownedByTable() == null ? "" : " OWNED BY " + quoted(q.ownedByTable())
                    + "." + Identifiers.quote(names.column(q.ownedByTable(), q.ownedByColumn()))), false);
        }
        String value = q.ownedByTable() == null || q.increment() < 0 ? Long.toString(q.nextValue())
                : pastMax(q.nextValue(), q.ownedByTable(), names.column(q.ownedByTable(), q.ownedByColumn()));
        add(plan, Step.SEQUENCES, table, "set " + what, "SELECT setval(" + Identifiers.literal(t.quoted()) + ", " + value
                + ", false)", false);
    }

    private void index(Structure.Index i, TargetCatalog target, Map<String, TargetTable> sequences, RestorePlan plan) {
        TargetTable table = names.table(i.table());
        String name = names.object(i.name());
        String what = (i.unique() ? "unique index " : "index ") + i.name();
        Boolean valid = target.indexes().get(table.schema() + "." + name);
        boolean concurrent = !target.partitioned().contains(key(i.table()));
        String constraintKey = key(i.table()) + "." + name;
        if (Boolean.TRUE.equals(valid) && (!i.constraint() || target.constraints().containsKey(constraintKey))) {
            plan.inPlace().add(i.table() + ": " + what);
            return;
        }
        if (!Boolean.TRUE.equals(valid)) {
            ExpressionTranslator translator = translator(i.table(), target, sequences);
            List<String> keys = new ArrayList<>();
            for (Structure.IndexKey k : i.keys()) {
                String key;
                if (k.column() != null) {
                    key = names.column(i.table(), k.column());
                    if (!target.columns().contains(key(i.table()) + "." + key)) {
                        plan.handReview().add(new Structure.HandReview(i.table(), what, "column " + k.column()
                                + " is not in the target table " + table));
                        return;
                    }
                    key = Identifiers.quote(key);
                } else {
                    ExpressionTranslator.Result r = translator.translate(k.expression());
                    if (!r.portable()) {
                        plan.handReview().add(new Structure.HandReview(i.table(), what + " on " + k.expression(), r.problem()));
                        return;
                    }
                    key = "(" + r.sql() + ")";
                }
                keys.add(key + (k.descending() ? " DESC" : ""));
            }
            String where = "";
            if (i.predicate() != null) {
                ExpressionTranslator.Result r = translator.translate(i.predicate());
                if (!r.portable()) {
                    plan.handReview().add(new Structure.HandReview(i.table(), what + " WHERE " + i.predicate(), r.problem()));
                    return;
                }
                where = " WHERE " + r.sql();
            }
            String quotedName = Identifiers.quote(table.schema(), name);
            if (valid != null) {
                // An invalid index is what a failed CONCURRENTLY build leaves: drop it, build again.
                add(plan, Step.INDEXES, i.table(), "drop invalid " + what, "DROP INDEX " + (concurrent ? "CONCURRENTLY " : "")
                        + "IF EXISTS " + quotedName, concurrent);
            }
            String include = i.include().isEmpty() ? "" : " INCLUDE (" + i.include().stream()
                    .map(c -> Identifiers.quote(names.column(i.table(), c))).collect(Collectors.joining(", ")) + ")";
            add(plan, Step.INDEXES, i.table(), what, "CREATE " + (i.unique() ? "UNIQUE " : "") + "INDEX "
                    + (concurrent ? "CONCURRENTLY " : "") + Identifiers.quote(name) + " ON " + table.quoted()
                    + (dialect == ExpressionTranslator.Dialect.POSTGRES && i.method() != null ? " USING " + i.method() : "")
                    + " (" + String.join(", ", keys) + ")" + include + where, concurrent);
        }
        if (i.constraint()) {
            add(plan, Step.INDEXES, i.table(), "unique constraint " + i.name(), "ALTER TABLE " + table.quoted()
                    + " ADD CONSTRAINT " + Identifiers.quote(name) + " UNIQUE USING INDEX " + Identifiers.quote(name), false);
        }
    }

    private void identity(Structure.Identity id, TargetCatalog target, RestorePlan plan) {
        String column = column(id.table(), id.column(), target, plan, "identity " + id.column());
        if (column == null) {
            return;
        }
        String what = "identity " + id.column() + " next " + id.nextValue();
        Long next = target.identities().get(key(id.table()) + "." + column);
        if (next != null && next >= id.nextValue()) {
            plan.inPlace().add(id.table() + ": " + what + " (target hands out " + next + " next)");
            return;
        }
        if (next == null) {
            add(plan, Step.IDENTITY, id.table(), "make " + id.column() + " an identity column", "ALTER TABLE "
                    + quoted(id.table()) + " ALTER COLUMN " + Identifiers.quote(column) + " ADD GENERATED "
                    + (id.always() ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY (INCREMENT BY " + id.increment() + ")", false);
        }
        String value = id.increment() < 0 ? Long.toString(id.nextValue()) : pastMax(id.nextValue(), id.table(), column);
        add(plan, Step.IDENTITY, id.table(), "restart " + what, "SELECT setval(pg_get_serial_sequence("
                + Identifiers.literal(quoted(id.table())) + ", " + Identifiers.literal(column) + "), " + value + ", false)",
                false);
    }

    /** The source's next value, or past the largest value the table holds when that is higher. */
    private String pastMax(long next, String table, String column) {
        return "greatest(" + next + ", (SELECT coalesce(max(" + Identifiers.quote(column) + "), 0) + 1 FROM "
                + quoted(table) + "))";
    }

    private void constraint(RestorePlan plan, TargetCatalog target, Step step, String table, String references,
                            String source, String what, String definition) {
        String name = names.object(source);
        Boolean validated = target.constraints().get(key(table) + "." + name);
        if (Boolean.TRUE.equals(validated)) {
            plan.inPlace().add(table + ": " + what);
            return;
        }
        if (validated == null) {
            plan.statements().add(new Statement(step, table, "add " + what + " NOT VALID", "ALTER TABLE " + quoted(table)
                    + " ADD CONSTRAINT " + Identifiers.quote(name) + " " + definition + " NOT VALID", false, references));
        }
        plan.statements().add(new Statement(step, table, "validate " + what, "ALTER TABLE " + quoted(table)
                + " VALIDATE CONSTRAINT " + Identifiers.quote(name), false, references));
    }

    private ExpressionTranslator translator(String table, TargetCatalog target, Map<String, TargetTable> sequences) {
        String schema = table.substring(0, table.indexOf('.'));
        return new ExpressionTranslator(dialect, column -> {
            String mapped = names.column(table, column);
            return target.columns().contains(key(table) + "." + mapped) ? Identifiers.quote(mapped) : null;
        }, seq -> sequences.getOrDefault(seq, names.table(seq)).quoted(), schema);
    }

    /** Where each sequence goes: with the table it feeds, else where the sink would put a table of that name. */
    private Map<String, TargetTable> sequenceTargets(Structure s) {
        Map<String, TargetTable> result = new HashMap<>();
        for (Structure.Sequence q : s.sequences()) {
            String schema = q.ownedByTable() != null ? names.table(q.ownedByTable()).schema()
                    : names.table(q.schema() + "." + q.name()).schema();
            result.put(q.schema() + "." + q.name(), new TargetTable(schema, names.object(q.name())));
        }
        return result;
    }

    private String column(String table, String column, TargetCatalog target, RestorePlan plan, String what) {
        String mapped = names.column(table, column);
        if (!target.columns().contains(key(table) + "." + mapped)) {
            plan.handReview().add(new Structure.HandReview(table, what, "column " + mapped + " is not in the target table "
                    + names.table(table)));
            return null;
        }
        return mapped;
    }

    private List<String> columns(String table, List<String> columns) {
        return columns.stream().map(c -> names.column(table, c)).toList();
    }

    private static String rule(String event, String action) {
        return action == null || action.equals("NO ACTION") ? "" : " ON " + event + " " + action;
    }

    private String key(String table) {
        return names.table(table).toString();
    }

    private String quoted(String table) {
        return names.table(table).quoted();
    }

    private static void add(RestorePlan plan, Step step, String table, String what, String sql, boolean concurrent) {
        plan.statements().add(new Statement(step, table, what, sql, concurrent, null));
    }

    static Set<String> schemas(TargetNames names, List<String> tables) {
        return tables.stream().map(t -> names.table(t).schema()).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
