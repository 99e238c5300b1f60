package io.tidemark.sink.iteration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.batch.ApplyCounts;
import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.control.DesiredStates;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.flush.ErrorPolicies;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.naming.TargetTable;

/**
 * Completes iterations. Any task may call {@link #tryComplete} (one session at a time per project,
 * under the iteration lock; the others skip). It reads the ledger, lets {@link IterationDecision}
 * decide, and acts:
 * <ul>
 * <li>when every partition of every FULL table taking part has passed marker N, applies the staged
 *     changes of iteration N to all of them in ONE transaction (readers see the FULL tables only
 *     as the source was at some marker). Staged rows the target refuses (a constraint, a column
 *     changed in the target) go to the table's error policy: under skip or flag they are set aside
 *     ({@link RefusedStagedRows}) and the rest applied; under fail the table leaves the iteration
 *     with the reason, stopped (ERROR_ABORTED) as any table stopped by an error, its staged rows
 *     kept. The other tables are applied either way;</li>
 * <li>when every table has passed marker N, closes iteration N in the ledger with its counts (at a
 *     soft stop's final iteration, its tables stop);</li>
 * <li>otherwise says what it waits for.</li>
 * </ul>
 */
public final class IterationCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(IterationCoordinator.class);

    /**
     * What became of the iteration.
     *
     * @param busy another session holds the iteration lock: nothing was looked at
     * @param left the tables that left the iteration at its apply, with the reason
     */
    public record Result(long iteration, boolean busy, boolean complete, String waitingFor, Map<String, String> left) {
    }

    private final CompletionLedger ledger;
    private final StageDirectory stages;
    private final DesiredStates desiredStates;
    private final ControlTables control;
    private final ErrorPolicies policies;
    private final RefusedStagedRows refused;
    /** The tables of the connector's {@code topics} list ({@code SCHEMA.TABLE}): in the stream from iteration 0. */
    private final Set<String> configured;
    private int savepoints;

    public IterationCoordinator(ControlSchema schema, String project, String connector, ControlTables control,
                         ErrorPolicies policies, Set<String> configured) {
        this.ledger = new CompletionLedger(schema, project);
        this.stages = new StageDirectory(schema, project);
        this.desiredStates = new DesiredStates(schema, project);
        this.control = control;
        this.policies = policies;
        this.refused = new RefusedStagedRows(schema, project, connector);
        this.configured = Set.copyOf(configured);
    }

    public CompletionLedger ledger() {
        return ledger;
    }

    /** Completes what it can of iteration {@code n}, in the caller's transaction (the caller commits). */
    public Result tryComplete(Connection c, long n) throws SQLException {
        if (!ledger.tryLock(c)) {
            return new Result(n, true, false, null, Map.of());
        }
        CompletionLedger.IterationRow row = ledger.lockIteration(c, n);
        if (row == null) {
            return new Result(n, false, false, "no marker " + n + " seen yet", Map.of());
        }
        if (row.complete()) {
            return new Result(n, false, true, null, Map.of());
        }
        IterationDecision.Facts facts = ledger.facts(c, n, row.fullyApplied(), configured);
        IterationDecision.Outcome outcome = IterationDecision.decide(facts);
        Map<String, String> left = outcome.applyFull() ? applyFull(c, n, outcome.fullMembers()) : Map.of();
        List<IterationDecision.TableRow> past = outcome.past().stream().filter(t -> !left.containsKey(t.source()))
                .toList();
        ledger.tablesPast(c, n, past);
        boolean complete = outcome.complete(row.fullyApplied());
        int total = facts.tables().size();
        if (complete) {
            ledger.complete(c, n, past.size(), total);
            if (row.isFinal()) {
                for (IterationDecision.TableRow t : past) {
                    desiredStates.stoppedAfterFinalIteration(c, t.source(), n);
                }
            }
            LOG.info("Iteration {} complete: {} table(s){}", n, past.size(), row.isFinal() ? " (final: they stop)" : "");
        } else {
            ledger.waiting(c, n, String.join("; ", outcome.waiting()), total);
        }
        return new Result(n, false, complete, outcome.waiting().isEmpty() ? null : String.join("; ", outcome.waiting()),
                left);
    }

    /**
     * The one transaction of a FULL iteration: every FULL member's staged changes up to N, into the
     * target, each table under a savepoint of its own.
     *
     * @return the tables that left the iteration, with the reason
     * @throws SQLException a transient failure or a timeout: the whole apply is tried again later
     */
    private Map<String, String> applyFull(Connection c, long n, List<IterationDecision.TableRow> full)
            throws SQLException {
        long started = System.nanoTime();
        Map<String, String> stageNames = stages.names(c);
        Map<String, String> left = new LinkedHashMap<>();
        long upserted = 0;
        long deleted = 0;
        for (IterationDecision.TableRow t : full) {
            String stageName = stageNames.get(t.source());
            ApplyCounts counts = ApplyCounts.NONE;
            if (stageName != null) {
                Savepoint savepoint = c.setSavepoint("tm_full_" + (++savepoints));
                try {
                    counts = applyTable(c, t, stageName, n);
                    c.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    c.rollback(savepoint);
                    if (SqlErrors.isTransient(e)) {
                        throw e;
                    }
                    String reason = "iteration " + n + ": " + t.target() + " refused the staged changes of " + t.source()
                            + " (" + SqlErrors.describe(e) + "); they stay staged. Fix the target, then start the table";
                    LOG.error("FULL table {} leaves iteration {}: {}", t.source(), n, reason);
                    desiredStates.stoppedForError(c, t.source(), reason);
                    control.abortTable(c, t.source(), t.target(), reason);
                    left.put(t.source(), reason);
                    continue;
                }
            }
            upserted += counts.upserted();
            deleted += counts.deleted();
            ledger.fullTableApplied(c, n, t.source(), counts.upserted(), counts.deleted());
        }
        ledger.fullyApplied(c, n);
        if (!full.isEmpty()) {
            LOG.info("Iteration {} applied to {} FULL table(s) in one transaction: {} upserted, {} deleted, {} ms", n,
                    full.size() - left.size(), upserted, deleted, (System.nanoTime() - started) / 1_000_000);
        }
        return left;
    }

    /**
     * One FULL table's staged changes up to N. Under policy skip or flag, rows the target refuses
     * are found and set aside, and the rest is applied; under fail (or for a refusal that is not
     * about a row's values) the failure is the caller's: the table leaves the iteration.
     */
    private ApplyCounts applyTable(Connection c, IterationDecision.TableRow t, String stageName, long n)
            throws SQLException {
        Savepoint whole = c.setSavepoint("tm_full_" + (++savepoints));
        try {
            ApplyCounts counts = stages.apply(c, t.source(), stageName, target(t), n);
            c.releaseSavepoint(whole);
            return counts;
        } catch (SQLException e) {
            ErrorPolicy policy = policies.of(SourceTable.fromTopic(t.source()));
            if (policy == ErrorPolicy.FAIL || SqlErrors.isTransient(e) || !SqlErrors.isDataError(e)) {
                throw e;
            }
            c.rollback(whole);
            LOG.info("{} refused staged rows of {} at iteration {} ({}); looking for them (table.error.policy={})",
                    t.target(), t.source(), n, SqlErrors.describe(e), policy.name().toLowerCase(java.util.Locale.ROOT));
            return refused.apply(c, t.source(), stages.stageOf(c, t.source()), target(t), n,
                    stages.takeTruncate(c, t.source(), n), policy);
        }
    }

    private static TargetTable target(IterationDecision.TableRow t) {
        int dot = t.target().indexOf('.');
        return new TargetTable(t.target().substring(0, dot), t.target().substring(dot + 1));
    }
}
