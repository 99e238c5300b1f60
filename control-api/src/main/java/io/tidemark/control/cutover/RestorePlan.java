package io.tidemark.control.cutover;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The statements that restore the structure, in the order they run, what is in place already, and
 * what is left for hand review; {@link #sql()} is the reviewable file written before anything runs.
 */
public record RestorePlan(List<Statement> statements, List<String> inPlace, List<Structure.HandReview> handReview) {

    /**
     * The restore's steps, in order. Sequences come before defaults (a default may call nextval),
     * indexes before foreign keys (a key references a unique index), and foreign keys last: their
     * VALIDATE is where data the constraint refuses shows, and everything else is done by then.
     */
    public enum Step {
        NOT_NULL, SEQUENCES, DEFAULTS, CHECKS, INDEXES, IDENTITY, FOREIGN_KEYS;

        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * @param table      the source table it belongs to (as the control schema names it)
     * @param what       what it restores, in the source's words ({@code foreign key ORDER_LINE_FK})
     * @param concurrent runs outside a transaction ({@code CREATE INDEX CONCURRENTLY}), in parallel with the step's others
     * @param references a foreign key's referenced table, else null
     */
    public record Statement(Step step, String table, String what, String sql, boolean concurrent, String references) {
    }

    public static RestorePlan empty() {
        return new RestorePlan(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    public List<Statement> of(Step step) {
        return statements.stream().filter(s -> s.step() == step).toList();
    }

    /**
     * The part of the plan that restores {@code table} alone (a table finalized early): its own
     * statements, but a foreign key only when the table it references is STOPPED too; the others
     * wait, listed with the reason, for the cutover or that table's finalize.
     */
    public RestorePlan only(String table, java.util.Set<String> stopped) {
        RestorePlan part = empty();
        for (Statement s : statements) {
            if (!s.table().equals(table)) {
                continue;
            }
            if (s.references() != null && !stopped.contains(s.references())) {
                if (s.what().startsWith("add ")) {
                    part.handReview().add(new Structure.HandReview(table, s.what(), "waits for " + s.references()
                            + " to be STOPPED: the cutover, or that table's finalize, restores it"));
                }
                continue;
            }
            part.statements().add(s);
        }
        inPlace.stream().filter(i -> i.startsWith(table + ":")).forEach(part.inPlace()::add);
        handReview.stream().filter(h -> h.table().equals(table)).forEach(part.handReview()::add);
        return part;
    }

    public String sql() {
        StringBuilder sb = new StringBuilder();
        sb.append("-- Tidemark cutover: the structure restored on the target, in the order it runs.\n")
                .append("-- Statements marked CONCURRENTLY run outside a transaction; the others each in their own.\n");
        for (Step step : Step.values()) {
            List<Statement> of = of(step);
            sb.append("\n-- ").append(step.word()).append(": ").append(of.size()).append(" statement(s)\n");
            for (Statement s : of) {
                sb.append("-- ").append(s.table()).append(": ").append(s.what()).append('\n').append(s.sql()).append(";\n");
            }
        }
        sb.append("\n-- already in place (skipped): ").append(inPlace.size()).append('\n');
        inPlace.forEach(i -> sb.append("--   ").append(i).append('\n'));
        sb.append("\n-- for hand review (not restored): ").append(handReview.size()).append('\n');
        handReview.forEach(h -> sb.append("--   ").append(h.table()).append(": ").append(h.what().replace('\n', ' '))
                .append(" -- ").append(h.reason()).append('\n'));
        return sb.toString();
    }
}
