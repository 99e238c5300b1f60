package io.tidemark.control.cutover;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.postgresql.util.PSQLException;

import io.tidemark.control.actions.Progress;
import io.tidemark.control.cutover.RestorePlan.Step;

/**
 * Runs a plan step by step, each statement in its own transaction (or none, for CONCURRENTLY), a
 * step's concurrent statements in parallel up to a limit. The first failure stops its step and the
 * steps after it (they may depend on it: a foreign key on a unique index); what ran stays, so a
 * rerun, planned again from the target's catalog, goes on from there.
 */
public final class RestoreExecutor {

    /** Lock waits are bounded: a cutover must not queue forever behind an application's transaction. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);

    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    /** A statement that failed: its table, its SQL and PostgreSQL's words. */
    public record Failure(String step, String table, String what, String sql, String error) {
    }

    /**
     * @param status done, failed, not run (an earlier step failed) or nothing to do
     */
    public record StepResult(String step, String status, Instant startedAt, long millis, int statements, int done,
                             Failure failure) {
    }

    public record Result(List<StepResult> steps, List<RestorePlan.Statement> done, Failure failure) {

        public boolean ok() {
            return failure == null;
        }
    }

    private final Connections connections;
    private final int parallel;
    private final Progress progress;

    public RestoreExecutor(Connections connections, int parallel, Progress progress) {
        this.connections = connections;
        this.parallel = Math.max(1, parallel);
        this.progress = progress;
    }

    public Result run(RestorePlan plan) {
        List<StepResult> steps = new ArrayList<>();
        List<RestorePlan.Statement> done = Collections.synchronizedList(new ArrayList<>());
        Failure failure = null;
        for (Step step : Step.values()) {
            List<RestorePlan.Statement> of = plan.of(step);
            Instant start = Instant.now();
            if (failure != null) {
                steps.add(new StepResult(step.word(), "not run", null, 0, of.size(), 0, null));
                continue;
            }
            if (of.isEmpty()) {
                steps.add(new StepResult(step.word(), "nothing to do", start, 0, 0, 0, null));
                continue;
            }
            progress.say("restore " + step.word() + ": " + of.size() + " statement(s)");
            int before = done.size();
            failure = runStep(step, of, done);
            long millis = Duration.between(start, Instant.now()).toMillis();
            steps.add(new StepResult(step.word(), failure == null ? "done" : "failed", start, millis, of.size(),
                    done.size() - before, failure));
            progress.say("restore " + step.word() + ": " + (failure == null ? "done" : "FAILED on " + failure.table()
                    + ": " + failure.error()) + " (" + millis + " ms)");
        }
        return new Result(steps, List.copyOf(done), failure);
    }

    private Failure runStep(Step step, List<RestorePlan.Statement> statements, List<RestorePlan.Statement> done) {
        AtomicReference<Failure> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "tidemark-cutover-" + step.word().replace(' ', '-'));
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (RestorePlan.Statement s : statements) {
                if (failure.get() != null) {
                    break;
                }
                if (!s.concurrent()) {
                    // Wait for the parallel ones first: this one may build on them (a constraint on an index).
                    awaitAll(running);
                    if (failure.get() != null) {
                        break;
                    }
                    execute(step, s, done, failure);
                } else {
                    running.add(pool.submit(() -> execute(step, s, done, failure)));
                }
            }
            awaitAll(running);
        } finally {
            pool.shutdown();
        }
        return failure.get();
    }

    private static void awaitAll(List<Future<?>> running) {
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        running.clear();
    }

    private void execute(Step step, RestorePlan.Statement s, List<RestorePlan.Statement> done,
                         AtomicReference<Failure> failure) {
        if (failure.get() != null) {
            return;
        }
        try (Connection c = connections.open(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("SET lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
            st.execute(s.sql());
            done.add(s);
            progress.say("  " + s.table() + ": " + s.what());
        } catch (SQLException e) {
            failure.compareAndSet(null, new Failure(step.word(), s.table(), s.what(), s.sql(), words(e)));
        }
    }

    /** PostgreSQL's message with its detail and hint, which name the rows a constraint refuses. */
    static String words(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            var m = p.getServerErrorMessage();
            return m.getSQLState() + " " + m.getMessage() + (m.getDetail() == null ? "" : " (" + m.getDetail() + ")")
                    + (m.getHint() == null ? "" : " Hint: " + m.getHint());
        }
        return (e.getSQLState() == null ? "" : e.getSQLState() + " ") + e.getMessage();
    }
}
