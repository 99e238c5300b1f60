package io.tidemark.source.marker;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.source.marker.MarkerDialect.Step;
import io.tidemark.source.marker.MarkerRow.Reason;

/**
 * Writes marker rows into the source database: the first once streaming runs (closing iteration 0,
 * the snapshot; with a bulk initial load, once streaming runs and the load asks for it), then every
 * interval and whenever the request table asks. After a final marker it
 * writes no more on its own until a request arrives.
 *
 * <p>It waits for streaming because Debezium fixes the snapshot's position (the slot's exported
 * snapshot, Oracle's snapshot SCN) before streaming starts: a marker committed later is certainly
 * in the change stream, one committed during the snapshot might not be. Everything it knows (the
 * last id, when it was written, whether it was final) is read back from the marker table, so a
 * restarted task goes on where the last one stopped.
 */
public final class MarkerWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MarkerWriter.class);

    private final MarkerStore store;
    private final MarkerDialect dialect;
    private final MarkerTables tables;
    private final String user;
    private final String streamName;
    private final long intervalMs;
    private final long pollIntervalMs;
    private final boolean firstOnRequest;
    private final BooleanSupplier streaming;
    private final LongSupplier clock;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile RuntimeException failure;
    // For the task's metrics, read on other threads.
    private volatile long markersWritten;
    private volatile long lastIteration = -1;
    private Thread thread;

    // Written and read by the writer thread only.
    private Optional<MarkerRow> last = Optional.empty();
    private boolean lastLoaded;
    private int transientFailures;

    public MarkerWriter(MarkerStore store, MarkerDialect dialect, MarkerTables tables, String user, String streamName,
                        long intervalMs, long pollIntervalMs, boolean firstOnRequest, BooleanSupplier streaming,
                        LongSupplier clock) {
        this.store = store;
        this.dialect = dialect;
        this.tables = tables;
        this.user = user;
        this.streamName = streamName;
        this.intervalMs = intervalMs;
        this.pollIntervalMs = pollIntervalMs;
        this.firstOnRequest = firstOnRequest;
        this.streaming = streaming;
        this.clock = clock;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("marker writer already started");
        }
        thread = new Thread(this::run, "tidemark-marker-writer-" + streamName);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            do {
                try {
                    tick();
                    transientFailures = 0;
                } catch (SQLException e) {
                    lastLoaded = false; // the failed round's outcome is unknown: read the table again
                    if (!dialect.isTransient(e)) {
                        failure = fatal(e);
                        LOG.error(failure.getMessage(), e);
                        return;
                    }
                    if (transientFailures++ % 10 == 0) {
                        LOG.warn("Writing a marker row into {} failed, retrying: {}", tables.qualifiedMarkerTable(), e.getMessage());
                    }
                } catch (RuntimeException e) {
                    failure = new ConnectException("The marker writer failed: " + e.getMessage(), e);
                    LOG.error(failure.getMessage(), e);
                    return;
                }
            } while (!stopRequested.await(pollIntervalMs, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            store.close();
        }
    }

    /**
     * One round: writes a marker row when one is due or requested. Visible for tests, which drive
     * the writer without its thread.
     */
    Optional<MarkerRow> tick() throws SQLException {
        if (!streaming.getAsBoolean()) {
            return Optional.empty();
        }
        if (!lastLoaded) {
            last = store.lastMarker(streamName);
            lastLoaded = true;
            LOG.info("Streaming runs; marker rows of stream {} go into {}, the last one so far: {}", streamName,
                    tables.qualifiedMarkerTable(), last.map(MarkerRow::toString).orElse(firstOnRequest
                            ? "none; marker 0 waits for the bulk load to ask for it" : "none, the next closes the snapshot"));
        }
        long now = clock.getAsLong();
        Reason due = dueReason(now);
        if (due == null && !store.hasPendingRequest(streamName)) {
            return Optional.empty();
        }
        Optional<MarkerRow> written = store.writeMarker(streamName, due, now);
        written.ifPresent(row -> {
            last = Optional.of(row);
            markersWritten++;
            lastIteration = row.iteration();
            LOG.info("Wrote marker row {} ({}{}) into {}", row.iteration(), row.reason(), row.isFinal() ? ", final" : "",
                    tables.qualifiedMarkerTable());
        });
        return written;
    }

    private Reason dueReason(long now) {
        if (last.isEmpty()) {
            // With a bulk load, marker 0 must come after the position the load reads the source at.
            return firstOnRequest ? null : Reason.SNAPSHOT;
        }
        MarkerRow previous = last.get();
        if (previous.isFinal() || intervalMs == 0) {
            return null;
        }
        return now - previous.createdTsMs() >= intervalMs ? Reason.INTERVAL : null;
    }

    private ConnectException fatal(SQLException e) {
        String advice = dialect.advice(Step.WRITE_MARKER, e, user, tables);
        return new ConnectException("Cannot write marker rows into " + tables.qualifiedMarkerTable() + " as " + user
                + ": " + e.getMessage().strip() + (advice == null ? "" : ". Grant what is missing: " + advice));
    }

    /** Marker rows this writer has written since it started. */
    public long markersWritten() {
        return markersWritten;
    }

    /** The id of the last marker row written, -1 before the first. */
    public long lastIteration() {
        return lastIteration;
    }

    public boolean failed() {
        return failure != null;
    }

    /** Throws the error that stopped the writer, so that the task fails with it. */
    public void throwIfFailed() {
        RuntimeException e = failure;
        if (e != null) {
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        stopRequested.countDown();
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
                if (thread.isAlive()) {
                    LOG.warn("The marker writer did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            store.close();
        }
    }
}
