package io.tidemark.control.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tidemark.control.actions.Progress;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.sink.control.ControlSchema;

/**
 * One verification run of a project (docs/verification.md): a target snapshot that holds every
 * FULL table at one applied iteration N, read with the ledger; the source as of marker N where it
 * can be read so (Oracle flashback), otherwise as it is, with a confirm pass; one {@link
 * RangeComparison} per table; the results in the control schema ({@link VerifyStore}).
 */
public final class Verifier {

    /**
     * @param tables       source tables to verify (as the project names them); empty: all
     * @param iteration    wait until this iteration is applied before reading; null: the newest applied
     * @param confirmWait  how long the confirm pass waits for the pipeline's lag to pass
     * @param changedSince compare only the keys changed in iterations after this one (docs/verification.md); null: whole
     * @param sinceMarks   compare only what changed since each table's "verified through" mark; a table without a
     *                     mark is compared whole
     */
    public record Options(List<String> tables, Long iteration, boolean onlyMismatches, int rangeRows, int rowThreshold,
                          int cap, int parallel, Duration confirmWait, Long changedSince, boolean sinceMarks) {

        public Options(List<String> tables, Long iteration, boolean onlyMismatches, int rangeRows, int rowThreshold,
                       int cap, int parallel, Duration confirmWait) {
            this(tables, iteration, onlyMismatches, rangeRows, rowThreshold, cap, parallel, confirmWait, null, false);
        }

        public static Options defaults() {
            return new Options(List.of(), null, false, 50_000, 1_000, 100, 2, Duration.ofSeconds(60));
        }

        /** The same options, comparing only what changed since iteration {@code n}. */
        public Options withChangedSince(Long n) {
            return new Options(tables, iteration, onlyMismatches, rangeRows, rowThreshold, cap, parallel, confirmWait, n,
                    false);
        }

        /** The same options, comparing what changed since each table's mark (whole where a table has none). */
        public Options withSinceMarks() {
            return new Options(tables, iteration, onlyMismatches, rangeRows, rowThreshold, cap, parallel, confirmWait,
                    null, true);
        }
    }

    /** A run's outcome: {@code IN_SYNC}, {@code DIFFERENT}, {@code IN_FLIGHT}, {@code FAILED} or {@code CANCELLED}. */
    public record Result(long run, String project, Long iteration, String status, String message,
                         List<TableResult> tables) {
    }

    private final DatabaseSettings target;
    private final DatabaseSettings source;
    private final ControlSchema schema;
    private final String project;
    private final VerifyStore store;
    private final ChangedSince changed;

    public Verifier(DatabaseSettings target, DatabaseSettings source, String controlSchema, String project) {
        this(target, source, controlSchema, project, null);
    }

    /** @param topics where the keys of changes are read back from ({@code --changed-since}); null: not known */
    public Verifier(DatabaseSettings target, DatabaseSettings source, String controlSchema, String project,
                    TopicKeys topics) {
        this.target = target;
        this.source = source;
        this.schema = new ControlSchema(controlSchema);
        this.project = project;
        this.store = new VerifyStore(controlSchema, project);
        this.changed = new ChangedSince(topics, schema, project);
    }

    public Result run(Options o, Progress out, AtomicBoolean cancelled) throws SQLException {
        VerifyProgress progress = new VerifyProgress(out);
        try (Connection control = target.connect()) {
            if (!store.ensure(control)) {
                throw new SQLException("the control schema " + schema.schema() + " does not exist yet: the sink creates it"
                        + " on its first start");
            }
            long run = store.start(control, String.valueOf(o));
            if (o.iteration() != null) {
                awaitApplied(control, o.iteration(), o.confirmWait(), progress);
            }
            java.util.Map<String, Long> marks = new java.util.HashMap<>();
            store.marks(control).forEach(m -> marks.put(m.table(), m.iteration()));
            List<TableResult> results = new ArrayList<>();
            Long n;
            Instant firstPass;
            try (SnapshotPairs pairs = new SnapshotPairs(target, source, Math.max(1, o.parallel()))) {
                Ledger ledger = pairs.call((t, s) -> Ledger.read(t, s, schema, project, !pairs.oracle()));
                n = ledger.iteration();
                firstPass = ledger.sourceNow();
                pairs.pinTo(ledger.scn());
                progress.say("target snapshot at iteration " + (n == null ? "none yet" : n) + (pairs.oracle()
                        ? ", source as of SCN " + ledger.scn() : ", source as it is now (a confirm pass follows)"));
                for (Ledger.TableRow row : ledger.tables()) {
                    if (!o.tables().isEmpty() && o.tables().stream().noneMatch(x -> x.equalsIgnoreCase(row.source()))) {
                        continue;
                    }
                    if (cancelled.get()) {
                        store.finish(control, run, "CANCELLED", n, "cancelled after " + results.size() + " tables");
                        return new Result(run, project, n, "CANCELLED", "cancelled", results);
                    }
                    results.add(table(pairs, row, n, ledger, o, o.sinceMarks() ? marks.get(row.source())
                            : o.changedSince(), progress));
                }
            }
            ConfirmPass confirm = new ConfirmPass(target, source, schema.table("iteration"), project);
            List<TableResult> judged = new ArrayList<>();
            boolean waited = false;
            for (TableResult r : results) {
                if (!r.pinned() && !r.differences().isEmpty() && !"FAILED".equals(r.status())) {
                    if (!waited) {
                        progress.say("confirm pass: waiting up to " + o.confirmWait().toSeconds() + " s for the lag");
                        waited = true;
                        if (!confirm.awaitLag(firstPass, o.confirmWait())) {
                            progress.say("confirm pass: no newer iteration applied within the wait; judging now");
                        }
                    }
                    r = Verdicts.judged(r, confirm);
                }
                store.save(control, run, r);
                judged.add(r);
                progress.say(Verdicts.line(r));
            }
            String status = Verdicts.overall(judged);
            String message = Verdicts.summary(judged, n);
            store.finish(control, run, status, n, message);
            List<TableResult> shown = o.onlyMismatches()
                    ? judged.stream().filter(r -> !"IN_SYNC".equals(r.status())).toList() : judged;
            return new Result(run, project, n, status, message, shown);
        }
    }

    /** One table, compared whole, or only its keys changed since {@code since} (null: whole). */
    private TableResult table(SnapshotPairs pairs, Ledger.TableRow row, Long n, Ledger ledger, Options o, Long since,
                              VerifyProgress progress) {
        long started = System.nanoTime();
        boolean pinned = pairs.oracle() && row.full() && ledger.scn() != null;
        Long at = row.full() ? n : row.iteration();
        try {
            TablePlan plan = pairs.call((t, s) -> Catalogs.plan(t, s, pairs.oracle(), row.source(), row.target(),
                    row.mode()));
            List<String> notes = new ArrayList<>();
            String whole = since == null ? null : changed.wholeBecause(plan, row, at);
            if (since == null && o.sinceMarks()) {
                notes.add("never verified: compared whole");
            } else if (whole != null) {
                notes.add("compared whole, not only the changes since iteration " + since + ": " + whole);
            }
            ChangedSince.Outcome keys = null;
            RangeComparison.Outcome out;
            if (since != null && whole == null) {
                try {
                    keys = changed.run(plan, pairs, row, since, at, o.cap());
                    notes.add("changed since iteration " + since + ": " + keys.keys() + " keys of " + keys.records()
                            + " changes; rows not changed since then were not looked at");
                    notes.addAll(keys.notes());
                } catch (ChangedSince.KeysUnknown e) {
                    notes.add("compared whole, not only the changes since iteration " + since + ": " + e.getMessage());
                }
            }
            if (keys != null) {
                out = keys.compared();
            } else {
                progress.table(row.source(), pairs.call((t, s) -> Ledger.estimate(t, row.target())));
                out = new RangeComparison(plan, pairs, o.rangeRows(), o.rowThreshold(), o.cap(), progress).run();
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            long rows = Math.max(out.sourceRows(), out.targetRows());
            String status = out.differenceCount() == 0 ? "IN_SYNC" : "DIFFERENT";
            if (!plan.keyed()) {
                notes.add("no key: compared as a whole-table multiset (count and checksum); differing rows are not named");
            }
            plan.skipped().forEach(s -> notes.add("not compared: " + s));
            return Verdicts.withPlan(new TableResult(row.source(), row.target(),
                    plan.columns().subList(0, plan.keyCount()).stream().map(TablePlan.Column::source).toList(),
                    row.mode().toUpperCase(Locale.ROOT), status, at, pinned,
                    out.sourceRows(), out.targetRows(), out.ranges(), out.rangesDiffering(),
                    keys == null ? RangeComparison.checksum(out.targetSum()) : null, out.differenceCount(), 0,
                    out.differences(), ms, ms == 0 ? rows : rows * 1000 / ms, notes.isEmpty() ? null
                    : String.join("; ", notes), keys == null ? null : since, keys == null ? 0 : keys.keys()), plan);
        } catch (SQLException | RuntimeException e) {
            long ms = (System.nanoTime() - started) / 1_000_000;
            return new TableResult(row.source(), row.target(), List.of(), row.mode(), "FAILED", at, pinned, 0, 0, 0, 0, null, 0, 0,
                    List.of(), ms, 0, e.getMessage(), since, 0);
        }
    }

    private void awaitApplied(Connection c, long iteration, Duration wait, VerifyProgress progress) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + schema.table("iteration")
                + " WHERE project = ? AND iteration >= ? AND status = 'APPLIED'")) {
            ps.setString(1, project);
            ps.setLong(2, iteration);
            progress.say("waiting for iteration " + iteration + " to be applied");
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new SQLException("iteration " + iteration + " was not applied within " + wait.toSeconds() + " s");
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting for iteration " + iteration);
                }
            }
        }
    }

    public VerifyStore store() {
        return store;
    }
}
