package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The caught-up apply (docs/sink.md, "Low lag"): a task whose poll brought less than a full poll,
 * its consumer at the end of its partitions, applies at once when its applier is idle, rather than
 * after {@code batch.max.wait.ms} (a minute here, so that only the caught-up apply can explain a row
 * that arrives within seconds); what arrives while a flush is in flight waits for it, in order; full
 * polls, and short polls while the consumer is behind, still fill the batch.
 */
class CaughtUpApplyTest {

    private static final int POLL = 100;
    private static PostgresTestDatabase db;

    private final AtomicLong offsets = new AtomicLong();
    private RecordingConsumer consumer;
    private SinkWriter writer;
    private TestTable emp;
    private TopicPartition tp;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("caughtup");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void start() {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE");
        consumer = new RecordingConsumer();
        consumer.lag = 0; // the consumer at the end of its partitions, unless a test says otherwise
        writer = TestWriters.against(db).batchSize(1000).batchMaxWaitMs(60_000).maxPollRecords(POLL)
                .consumer(consumer).start();
        emp = new TestTable("EMP", 0, offsets);
        tp = new TopicPartition(emp.topic, 0);
        writer.open(List.of(tp));
    }

    @AfterEach
    void stop() {
        writer.stop();
    }

    @Test
    void aCaughtUpTaskAppliesAtOnceNotAfterTheBatchWait() {
        writer.put(List.of(emp.insert(emp.row(1, "ann", null)), emp.insert(emp.row(2, "bob", null))));

        awaitWhilePolling(() -> rows().size() == 2, "the two rows applied without a commit point");
        assertThat(rows()).containsExactly("1|ann", "2|bob");
        assertThat(db.scalar("SELECT next_offset FROM tidemark.kafka_offsets WHERE topic = ?", emp.topic))
                .isEqualTo(offsets.get());
    }

    @Test
    void changesArrivingWhileAFlushIsInFlightAreNeitherLostNorReordered() throws Exception {
        writer.put(List.of(emp.insert(emp.row(1, "v0", null)), emp.insert(emp.row(2, "v0", null))));
        awaitWhilePolling(() -> rows().size() == 2 && writer.stats().flushes() == 1,
                "the table created and its first rows applied");
        long flushesBefore = writer.stats().flushes();

        try (Connection blocker = db.connect(); Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("LOCK TABLE hr.emp IN EXCLUSIVE MODE"); // the next flush waits on it; reads do not
            for (int v = 1; v <= 30; v++) {
                writer.put(List.of(emp.update(emp.row(1, "v" + (v - 1), null), emp.row(1, "v" + v, null)),
                        emp.update(emp.row(2, "v" + (v - 1), null), emp.row(2, "v" + v, null))));
                if (v == 1) {
                    awaitLockWaiter(st);
                }
            }
            assertThat(rows()).containsExactly("1|v0", "2|v0"); // nothing overtook the flush held by the lock
            blocker.commit();
        }

        awaitWhilePolling(() -> rows().equals(List.of("1|v30", "2|v30")), "the last version of each row");
        awaitWhilePolling(() -> offsets.get() == (Long) db.scalar(
                "SELECT next_offset FROM tidemark.kafka_offsets WHERE topic = ?", emp.topic), "every offset committed");
        // A flush counts once the task has taken its outcome back (at a put), after its commit is visible.
        awaitWhilePolling(() -> writer.stats().flushes() - flushesBefore >= 2, "the flushes settled");
        long flushes = writer.stats().flushes() - flushesBefore;
        // The first flush took version 1; versions 2..30, buffered while it waited, went together.
        assertThat(flushes).isEqualTo(2);
    }

    @Test
    void aSteadyLoadOfFullPollsStillFillsTheBatch() {
        long id = 0;
        for (int poll = 0; poll < 9; poll++) {
            List<SinkRecord> full = new ArrayList<>();
            for (int i = 0; i < POLL; i++) {
                full.add(emp.insert(emp.row(++id, "r", null)));
            }
            writer.put(full);
        }
        assertThat(writer.stats().flushes()).as("flushes after 900 records in full polls").isZero();
        List<SinkRecord> tenth = new ArrayList<>();
        for (int i = 0; i < POLL; i++) {
            tenth.add(emp.insert(emp.row(++id, "r", null)));
        }
        writer.put(tenth); // the batch is full (batch.size 1000)
        awaitWhilePolling(() -> writer.stats().flushes() == 1, "the full batch applied");
        assertThat(writer.stats().records()).isEqualTo(1000);
    }

    @Test
    void shortPollsWhileTheConsumerIsBehindStillFillTheBatch() {
        consumer.lag = 40_000; // fetches cut by their byte limits: every poll short, records waiting behind them
        long id = 0;
        for (int poll = 0; poll < 20; poll++) {
            List<SinkRecord> cut = new ArrayList<>();
            for (int i = 0; i < POLL / 2; i++) {
                cut.add(emp.insert(emp.row(++id, "r", null)));
            }
            writer.put(cut);
            writer.put(List.of()); // a poll that timed out while the next fetch was on its way
        }
        awaitWhilePolling(() -> writer.stats().flushes() >= 1, "the full batch applied");
        assertThat(writer.stats().records()).as("records of the first flush (batch.size 1000)").isEqualTo(1000);

        consumer.lag = 0; // the end of the partition reached
        writer.put(List.of(emp.insert(emp.row(++id, "last", null))));
        awaitWhilePolling(() -> writer.stats().flushes() == 2, "the last row applied at once");
        assertThat(writer.stats().records()).isEqualTo(1001);
    }

    private List<String> rows() {
        return db.rowsAsText("SELECT id, name FROM hr.emp ORDER BY id");
    }

    /** Connect's loop at low load: an empty put whenever the poll times out, here every 10 ms. */
    private void awaitWhilePolling(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!safely(done)) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            writer.put(List.of());
            sleep(10);
        }
    }

    private static boolean safely(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false; // the table or the control schema not there yet
        }
    }

    private static void awaitLockWaiter(Statement st) throws Exception {
        for (int i = 0; i < 500; i++) {
            try (var rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = "
                    + "'hr.emp'::regclass AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
            sleep(10);
        }
        throw new AssertionError("the flush never waited for the lock");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
