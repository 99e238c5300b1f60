package io.tidemark.control.cutover;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.actions.Progress;
import io.tidemark.control.verify.TopicKeys;
import io.tidemark.control.verify.Verifications;
import io.tidemark.control.verify.Verifier;
import io.tidemark.control.verify.VerifyStore;

/**
 * The cutover's final verification (docs/cutover.md): the project's tables at the final iteration,
 * between the soft stop and the restore, so that the structure is restored only on a target that
 * equals the source. Each table's changes since its "verified through" mark are compared
 * ({@code --changed-since}); a table never verified is compared whole, and so is every table with
 * {@code --full-verify}.
 */
final class FinalVerification {

    /**
     * The confirm pass waits for an iteration after its first pass; after the soft stop none follows, so it judges at
     * once (a source row that changed between the passes is still in flight, not out of sync).
     */
    private static final Duration AFTER_THE_SOFT_STOP = Duration.ZERO;

    private final ProjectServices p;

    FinalVerification(ProjectServices p) {
        this.p = p;
    }

    private Verifier verifier(TopicKeys keys) {
        return new Verifier(p.project().targetDatabase(), p.project().sourceDatabase(), p.project().controlSchema(),
                p.project().controlProject(), keys);
    }

    /**
     * Verifies every table at {@code iteration} (null: the newest applied) and says what it found: what changed since
     * each table's mark, or each table whole when {@code full}.
     */
    CutoverReport.Verification run(Long iteration, boolean skipVerify, boolean full, Progress progress) {
        String name = p.project().name();
        AtomicBoolean cancelled = Verifications.begin(name);
        if (cancelled == null) {
            throw ControlException.refused("cutover refused: a verification of " + name + " is already running (wait for"
                    + " it, or cancel it: POST /projects/" + name + "/verify/cancel)");
        }
        try (TopicKeys keys = full ? null : p.topicKeys()) {
            Verifier.Options d = Verifier.Options.defaults();
            Verifier.Options o = new Verifier.Options(List.of(), iteration, false, d.rangeRows(), d.rowThreshold(), d.cap(),
                    d.parallel(), AFTER_THE_SOFT_STOP);
            Verifier.Result r = verifier(keys).run(full ? o : o.withSinceMarks(), progress, cancelled);
            List<CutoverReport.VerifiedTable> tables = r.tables().stream().map(t -> new CutoverReport.VerifiedTable(
                    t.table(), t.status(), Math.max(t.sourceRows(), t.targetRows()), t.checksum(), t.iteration(),
                    t.differenceCount(), t.note())).toList();
            return new CutoverReport.Verification(r.run(), r.status(), r.iteration(), skipVerify, r.message(), tables);
        } catch (SQLException e) {
            throw new ControlException(ControlException.Kind.UNAVAILABLE, "the final verification of " + name
                    + " could not run: " + RestoreExecutor.words(e));
        } finally {
            Verifications.end(name);
        }
    }

    /** The tables the cutover must not restore over: out of sync, or not compared at all. In flight is not one. */
    static List<String> outOfSync(CutoverReport.Verification v) {
        return v.tables().stream().filter(t -> "DIFFERENT".equals(t.status()) || "FAILED".equals(t.status()))
                .map(t -> t.table() + " (" + t.status().toLowerCase(java.util.Locale.ROOT) + ", " + t.differences()
                        + " difference(s)" + (t.note() == null ? "" : ": " + t.note()) + ")").toList();
    }

    /**
     * The precheck's lines on the last verification and on the tables the final verification compares whole (never
     * verified): information, not a refusal (the cutover verifies anyway).
     */
    List<String> lastRun(Connection c, List<String> tables) throws SQLException {
        VerifyStore store = verifier(null).store();
        String last = store.lastRun(c).map(r -> "note  last verification: run " + r.id() + ", " + r.status()
                + " at iteration " + (r.iteration() == null ? "none" : r.iteration()) + ", " + (r.finishedAt() == null
                ? "not finished" : Duration.between(r.finishedAt(), Instant.now()).toSeconds() + " s ago")
                + " (the cutover verifies what changed since each table's mark after the soft stop)")
                .orElse("note  last verification: none yet (the cutover verifies after the soft stop)");
        if (p.project().kafka() == null) {
            return List.of(last, "note  verification recent: the project has no kafka settings, so the keys changed since"
                    + " each table's mark cannot be read: every table is compared whole (a full scan) at the cutover");
        }
        List<String> whole = fullScans(tables, store.marks(c));
        return List.of(last, whole.isEmpty() ? "ok    verification recent: every table has a \"verified through\" mark;"
                + " the cutover compares only what changed since it"
                : "note  verification recent: " + whole.size() + " table(s) never verified, compared whole (a full scan)"
                + " at the cutover: " + String.join(", ", whole) + " (tidemark verify now shortens the change window)");
    }

    /** The tables without a "verified through" mark: the final verification scans them whole. */
    static List<String> fullScans(List<String> tables, List<VerifyStore.Mark> marks) {
        java.util.Set<String> marked = new java.util.HashSet<>();
        marks.forEach(m -> marked.add(m.table()));
        return tables.stream().filter(t -> !marked.contains(t)).sorted().toList();
    }
}
