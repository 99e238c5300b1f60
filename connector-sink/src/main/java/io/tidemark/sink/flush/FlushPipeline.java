package io.tidemark.sink.flush;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import io.tidemark.sink.batch.PendingBatch;


/**
 * Applies flushes on a thread of the task's own, one at a time, while the task's thread goes on
 * converting and buffering the next batch: PostgreSQL's work overlaps Connect's. At most one flush
 * is in flight, which keeps flushes (and their offsets) in order.
 *
 * <p>Waiting for a flush is bounded: the connection's socket and statement timeouts end any stuck
 * statement, and should the wait still outlast {@code maxWaitMs}, or the waiting thread be
 * interrupted, the connection is aborted, which ends the flush's I/O at once.
 */
public final class FlushPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(FlushPipeline.class);
    /** After an abort, how long the flush gets to notice that its connection is gone. */
    private static final long AFTER_ABORT_MS = 10_000;

    /** A flush taken back: its outcome, or the failure that ended it. */
    public record Settled(PendingBatch batch, FlushOutcome outcome, Throwable failure) {
    }

    private record InFlight(PendingBatch batch, Future<FlushOutcome> result) {
    }

    private final ExecutorService thread;
    private final long maxWaitMs;
    private InFlight inFlight;

    public FlushPipeline(String threadName, long maxWaitMs) {
        this.maxWaitMs = maxWaitMs;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    public boolean busy() {
        return inFlight != null;
    }

    /** Starts a flush; the caller has taken back the previous one. */
    public void submit(PendingBatch batch, Callable<FlushOutcome> work) {
        if (inFlight != null) {
            throw new IllegalStateException("a flush is in flight already");
        }
        // Connect names the task in its logging context ("[connector|task-0]"); the applier's log lines carry it too.
        Map<String, String> context = MDC.getCopyOfContextMap();
        inFlight = new InFlight(batch, thread.submit(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                return work.call();
            } finally {
                MDC.clear();
            }
        }));
    }

    /** The flush in flight if it has ended, else null. */
    public Settled takeIfDone() {
        if (inFlight == null || !inFlight.result().isDone()) {
            return null;
        }
        return await(() -> { });
    }

    /**
     * Waits for the flush in flight and takes it back (null when there is none).
     *
     * @param abort ends the flush's connection: run when the wait outlasts its bound or is interrupted
     */
    public Settled await(Runnable abort) {
        InFlight flight = inFlight;
        if (flight == null) {
            return null;
        }
        inFlight = null;
        boolean interrupted = false;
        try {
            try {
                return settled(flight, flight.result().get(maxWaitMs, TimeUnit.MILLISECONDS), null);
            } catch (InterruptedException e) {
                interrupted = true;
                LOG.warn("Interrupted while a flush was applied: aborting its connection");
            } catch (TimeoutException e) {
                LOG.error("A flush took longer than {} ms despite the connection's timeouts: aborting its connection",
                        maxWaitMs);
            }
            abort.run();
            try {
                return settled(flight, flight.result().get(AFTER_ABORT_MS, TimeUnit.MILLISECONDS), null);
            } catch (InterruptedException e) {
                interrupted = true;
                throw new ConnectException("interrupted while waiting for an aborted flush to end", e);
            } catch (TimeoutException e) {
                throw new ConnectException("a flush did not end " + AFTER_ABORT_MS + " ms after its connection was "
                        + "aborted; restart the task", e);
            }
        } catch (ExecutionException e) {
            return settled(flight, null, e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Settled settled(InFlight flight, FlushOutcome outcome, Throwable failure) {
        return new Settled(flight.batch(), outcome, failure);
    }

    public void shutdown() {
        thread.shutdownNow();
    }
}
