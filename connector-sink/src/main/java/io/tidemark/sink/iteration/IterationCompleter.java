package io.tidemark.sink.iteration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.flush.ConnectionFactory;

/**
 * Completes the project's open iterations on a thread and a connection of its own, never on
 * Connect's task thread: the one transaction of a FULL iteration may take minutes (millions of
 * staged rows), longer than {@code max.poll.interval.ms} allows a {@code put}. Its statements are
 * bounded by {@code iteration.apply.timeout.ms}, not by the flushes' statement timeout; an apply
 * that times out says so in the iteration's {@code waiting_for} and is tried again, later and later.
 *
 * <p>Which iterations are open comes from the ledger at every round, so a task that restarted, or
 * a task that never saw the marker, completes them as well as the one that passed it. One round at
 * a time per task; across tasks the coordinator's lock lets one session work and the others skip.
 */
public final class IterationCompleter {

    private static final Logger LOG = LoggerFactory.getLogger(IterationCompleter.class);
    private static final long MAX_BACKOFF_MS = 60_000;

    /** What a round did: the iterations it completed, and whether it failed. */
    private record Round(List<Long> completed, boolean failed) {
    }

    private final String connector;
    private final ConnectionFactory connections;
    private final IterationCoordinator coordinator;
    private final long applyTimeoutMs;
    private final long pollIntervalMs;
    private final ExecutorService thread;
    /** The thread's connection; read by {@link #close} to abort it. */
    private volatile Connection connection;
    private Future<Round> running;
    /** A round taken back and not accounted for yet. */
    private Round ended;
    private long notBeforeMs;
    private int failedRounds;

    public IterationCompleter(String connector, String threadName, ConnectionFactory connections,
                       IterationCoordinator coordinator, long applyTimeoutMs, long pollIntervalMs) {
        this.connector = connector;
        this.connections = connections;
        this.coordinator = coordinator;
        this.applyTimeoutMs = applyTimeoutMs;
        this.pollIntervalMs = pollIntervalMs;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * From the task's thread, at every lifecycle poll: accounts for the round that ended, if any,
     * and starts the next one unless one runs or it backs off after a failure.
     *
     * @return true when the round that ended completed an iteration
     */
    public boolean poke(long nowMs) {
        takeBackIfDone();
        if (running != null) {
            return false;
        }
        boolean progress = false;
        if (ended != null) {
            progress = !ended.completed().isEmpty();
            if (ended.failed()) {
                failedRounds++;
                notBeforeMs = nowMs + Math.min(MAX_BACKOFF_MS, pollIntervalMs << Math.min(failedRounds, 10));
            } else {
                failedRounds = 0;
            }
            ended = null;
        }
        if (nowMs >= notBeforeMs) {
            Map<String, String> context = MDC.getCopyOfContextMap();
            running = thread.submit(() -> {
                if (context != null) {
                    MDC.setContextMap(context);
                }
                try {
                    return round();
                } finally {
                    MDC.clear();
                }
            });
        }
        return progress;
    }

    /** A round ended having completed an iteration: the task should look at its holds now, not at its next poll. */
    public boolean completedSome() {
        takeBackIfDone();
        return ended != null && !ended.completed().isEmpty();
    }

    /** A round runs: the task should come back soon to see what it completed. */
    public boolean isRunning() {
        return running != null && !running.isDone();
    }

    private void takeBackIfDone() {
        if (running != null && running.isDone()) {
            ended = take();
            running = null;
        }
    }

    private Round take() {
        try {
            return running.get();
        } catch (ExecutionException e) {
            LOG.warn("{}: completing the iterations failed: {}", connector, e.getCause().toString());
            return new Round(List.of(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Round(List.of(), true);
        }
    }

    /** One round: every open iteration, oldest first, each in a transaction of its own. */
    private Round round() {
        List<Long> completed = new ArrayList<>();
        long n = -1;
        try {
            Connection c = connection();
            List<Long> open = coordinator.ledger().openIterations(c);
            c.commit();
            for (long iteration : open) {
                n = iteration;
                IterationCoordinator.Result result = coordinator.tryComplete(c, n);
                c.commit();
                if (result.busy()) {
                    break; // another session completes iterations now
                }
                if (result.complete()) {
                    completed.add(n);
                }
            }
            return new Round(completed, false);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            if (e instanceof SQLException sql && isStatementTimeout(sql)) {
                timedOut(n);
            } else {
                LOG.warn("{}: completing {} failed ({}); tried again later", connector,
                        n < 0 ? "the open iterations" : "iteration " + n,
                        e instanceof SQLException sql ? SqlErrors.describe(sql) : e.toString());
                abandon();
            }
            return new Round(completed, true);
        }
    }

    /** The apply outlasted its timeout: the iteration says so, with the setting that bounds it. */
    private void timedOut(long n) {
        String why = "applying iteration " + n + " timed out after " + applyTimeoutMs + " ms (iteration.apply.timeout.ms)"
                + "; it is tried again. Raise iteration.apply.timeout.ms if iterations are this large, or look for a"
                + " session that holds a lock on a FULL target table";
        LOG.error("{}: {}", connector, why);
        try {
            Connection c = connection();
            coordinator.ledger().waiting(c, n, why, null);
            c.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            abandon();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = connections.open();
            try {
                // Longer than any statement of the apply, so that the socket does not give up first.
                c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, applyTimeoutMs + 60_000));
                try (Statement st = c.createStatement()) {
                    st.execute("SET statement_timeout = " + applyTimeoutMs);
                }
                c.commit();
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private static boolean isStatementTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private void rollbackQuietly() {
        Connection c = connection;
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                abandon();
            }
        }
    }

    private void abandon() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }

    /** The task stops: a round in progress ends now (its transaction rolls back; another task or a later one completes it). */
    public void close() {
        thread.shutdownNow();
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // closing anyway
            }
        }
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
