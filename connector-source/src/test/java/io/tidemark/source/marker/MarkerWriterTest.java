package io.tidemark.source.marker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import io.tidemark.source.marker.MarkerRow.Reason;

class MarkerWriterTest {

    private static final String STREAM = "shop";
    private static final MarkerTables TABLES = new MarkerTables("tidemark", "tidemark_iteration", "tidemark_iteration_seq",
            "tidemark_iteration_request");

    /** The marker and request tables in memory, as the database would hold them. */
    static final class InMemoryStore implements MarkerStore {
        final List<MarkerRow> rows = new CopyOnWriteArrayList<>();
        final List<String> pendingActions = new ArrayList<>();
        long nextId;
        volatile SQLException failWith;

        @Override
        public Optional<MarkerRow> lastMarker(String streamName) throws SQLException {
            fail();
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(rows.size() - 1));
        }

        @Override
        public boolean hasPendingRequest(String streamName) throws SQLException {
            fail();
            return !pendingActions.isEmpty();
        }

        @Override
        public Optional<MarkerRow> writeMarker(String streamName, Reason due, long nowMs) throws SQLException {
            fail();
            if (pendingActions.isEmpty() && due == null) {
                return Optional.empty();
            }
            boolean isFinal = pendingActions.contains("FINAL");
            Reason reason = pendingActions.isEmpty() ? due : Reason.REQUEST;
            pendingActions.clear();
            MarkerRow row = new MarkerRow(nextId++, streamName, isFinal, reason, nowMs);
            rows.add(row);
            return Optional.of(row);
        }

        private void fail() throws SQLException {
            if (failWith != null) {
                throw failWith;
            }
        }

        @Override
        public void close() {
        }
    }

    private final InMemoryStore store = new InMemoryStore();
    private final AtomicBoolean streaming = new AtomicBoolean(false);
    private final AtomicLong now = new AtomicLong(1_000_000);

    private MarkerWriter writer(long intervalMs) {
        return writer(intervalMs, false);
    }

    private MarkerWriter writer(long intervalMs, boolean bulkInitialLoad) {
        return new MarkerWriter(store, new PostgresMarkerDialect(), TABLES, "postgres", STREAM, intervalMs, 100,
                bulkInitialLoad, streaming::get, now::get);
    }

    @Test
    void withABulkLoadMarkerZeroWaitsForTheLoadsRequestNotForStreaming() throws SQLException {
        MarkerWriter writer = writer(1_000, true);
        store.pendingActions.add("CLOSE"); // a request before streaming runs waits for it
        assertThat(writer.tick()).isEmpty();

        streaming.set(true);
        store.pendingActions.clear();
        now.addAndGet(60_000);
        assertThat(writer.tick()).as("streaming runs, the interval passed, no request: no marker 0").isEmpty();
        assertThat(store.rows).isEmpty();

        store.pendingActions.add("CLOSE");
        assertThat(writer.tick()).hasValueSatisfying(row -> {
            assertThat(row.iteration()).isZero();
            assertThat(row.reason()).isEqualTo(Reason.REQUEST);
        });
        now.addAndGet(1_000);
        assertThat(writer.tick()).as("after marker 0, intervals as usual")
                .hasValueSatisfying(row -> assertThat(row.reason()).isEqualTo(Reason.INTERVAL));
    }

    @Test
    void writesNothingUntilStreamingRunsThenClosesTheSnapshotIteration() throws SQLException {
        MarkerWriter writer = writer(60_000);
        assertThat(writer.tick()).isEmpty();
        assertThat(store.rows).isEmpty();

        streaming.set(true);
        assertThat(writer.tick()).hasValueSatisfying(row -> {
            assertThat(row.iteration()).isZero();
            assertThat(row.reason()).isEqualTo(Reason.SNAPSHOT);
        });
    }

    @Test
    void writesAMarkerEachIntervalAndOnRequest() throws SQLException {
        streaming.set(true);
        MarkerWriter writer = writer(60_000);
        writer.tick();
        now.addAndGet(59_999);
        assertThat(writer.tick()).isEmpty();
        now.addAndGet(1);
        assertThat(writer.tick()).hasValueSatisfying(row -> assertThat(row.reason()).isEqualTo(Reason.INTERVAL));

        now.addAndGet(10);
        store.pendingActions.add("CLOSE");
        assertThat(writer.tick()).hasValueSatisfying(row -> {
            assertThat(row.reason()).isEqualTo(Reason.REQUEST);
            assertThat(row.isFinal()).isFalse();
        });
        // The interval counts from the last marker, whatever wrote it.
        now.addAndGet(59_999);
        assertThat(writer.tick()).isEmpty();
        assertThat(store.rows).extracting(MarkerRow::iteration).containsExactly(0L, 1L, 2L);
    }

    @Test
    void afterAFinalMarkerOnlyARequestWritesAgain() throws SQLException {
        streaming.set(true);
        MarkerWriter writer = writer(1_000);
        writer.tick();
        store.pendingActions.add("FINAL");
        assertThat(writer.tick()).hasValueSatisfying(row -> assertThat(row.isFinal()).isTrue());

        now.addAndGet(10_000);
        assertThat(writer.tick()).isEmpty();

        store.pendingActions.add("CLOSE");
        assertThat(writer.tick()).hasValueSatisfying(row -> assertThat(row.isFinal()).isFalse());
        now.addAndGet(1_000);
        assertThat(writer.tick()).hasValueSatisfying(row -> assertThat(row.reason()).isEqualTo(Reason.INTERVAL));
    }

    @Test
    void withIntervalZeroOnlyTheSnapshotMarkerAndRequestsAreWritten() throws SQLException {
        streaming.set(true);
        MarkerWriter writer = writer(0);
        writer.tick();
        now.addAndGet(1_000_000);
        assertThat(writer.tick()).isEmpty();
        store.pendingActions.add("CLOSE");
        assertThat(writer.tick()).isPresent();
    }

    @Test
    void aRestartedWriterGoesOnFromTheTable() throws SQLException {
        streaming.set(true);
        writer(60_000).tick();
        now.addAndGet(30_000);

        MarkerWriter restarted = writer(60_000);
        assertThat(restarted.tick()).as("no second snapshot marker, the interval has not elapsed").isEmpty();
        now.addAndGet(30_000);
        assertThat(restarted.tick()).hasValueSatisfying(row -> assertThat(row.iteration()).isEqualTo(1));
    }

    @Test
    void aPrivilegeErrorStopsTheWriterAndFailsTheTaskNamingTheGrant() {
        streaming.set(true);
        store.failWith = new SQLException("permission denied for table tidemark_iteration", "42501");
        MarkerWriter writer = writer(60_000);
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(writer::throwIfFailed)
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("permission denied")
                    .hasMessageContaining("GRANT SELECT, INSERT, UPDATE ON tidemark.tidemark_iteration"));
        } finally {
            writer.close();
        }
    }

    @Test
    void aLostConnectionIsRetried() {
        streaming.set(true);
        store.failWith = new SQLException("connection refused", "08001");
        MarkerWriter writer = writer(60_000);
        writer.start();
        try {
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
            writer.throwIfFailed();
            store.failWith = null;
            await().atMost(Duration.ofSeconds(10)).until(() -> !store.rows.isEmpty());
            writer.throwIfFailed();
        } finally {
            writer.close();
        }
    }
}
