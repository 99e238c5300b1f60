package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.errors.RetryPolicy;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TcpProxy;

/**
 * Nothing the database or the network does may freeze a task: a lock held by an abandoned
 * session, a connection that stops answering, a server that cannot be reached while partitions
 * are assigned. Each call returns within a bound, says why it waits, and once the cause is gone
 * applies everything exactly once.
 */
class TimeoutsTest {

    /** The longest any one call may take here: the 2 s socket and login timeouts, and some slack. */
    private static final long BOUND_MS = 8_000;

    private static PostgresTestDatabase db;

    private final AtomicLong offsets = new AtomicLong();
    private RecordingConsumer consumer;
    private SinkWriter writer;
    private TcpProxy proxy;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("timeouts");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void clean() {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE");
        consumer = new RecordingConsumer();
        proxy = TcpProxy.to(db.host(), db.port());
    }

    @AfterEach
    void stop() {
        proxy.blackhole(false);
        if (writer != null) {
            writer.stop();
        }
        proxy.close();
    }

    /** A writer whose connections go through the proxy, with 2 s network timeouts and a 500 ms lock timeout. */
    private SinkWriter writerThroughProxy() {
        String url = db.jdbcUrlVia(proxy.host(), proxy.port(),
                "prepareThreshold=0&socketTimeout=2&connectTimeout=2&loginTimeout=2");
        return TestWriters.against(db).connector("timeout-sink").consumer(consumer)
                .retry(new RetryPolicy(60_000, 50, 200)).flushMaxWaitMs(10_000)
                .connections(TestWriters.connections(url, db.user(), db.password(), 500)).start();
    }

    private static long timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void deliverUntil(List<SinkRecord> records, String condition, long expected) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (countOrMinusOne(condition) != expected && System.currentTimeMillis() < deadline) {
            writer.put(records);
            writer.preCommit();
            writer.put(List.of());
            sleep(50);
        }
        assertThat(db.count(condition)).isEqualTo(expected);
    }

    @Test
    void aLockHeldByAnAbandonedSessionTimesOutShowsWhoHoldsItAndIsRetried() throws Exception {
        TestTable emp = new TestTable("EMP", 0, offsets);
        TopicPartition tp = new TopicPartition(emp.topic, 0);
        writer = writerThroughProxy();
        writer.open(List.of(tp));
        writer.put(List.of(emp.insert(emp.row(1, "a", null))));
        writer.preCommit();

        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("SET application_name = 'forgotten-psql'");
            st.execute("LOCK TABLE hr.emp IN ACCESS EXCLUSIVE MODE"); // and then nothing: idle in transaction
            List<SinkRecord> next = List.of(emp.insert(emp.row(2, "b", null)));
            long took = timed(() -> {
                writer.put(next);
                writer.preCommit();
            });
            assertThat(took).as("put and preCommit while the table is locked").isLessThan(BOUND_MS);
            assertThat(db.rowsAsText("SELECT status, reason FROM tidemark.table_state WHERE source_table = 'HR.EMP'"))
                    .singleElement().asString()
                    .startsWith("ERROR_RETRIABLE|retrying: table HR.EMP: canceling statement due to lock timeout")
                    .contains("application 'forgotten-psql'").contains("idle in transaction")
                    .contains("SELECT pg_terminate_backend(");
            holder.rollback();
            deliverUntil(next, "SELECT count(*) FROM hr.emp", 2);
        }
        writer.put(List.of(emp.insert(emp.row(3, "c", null))));
        writer.preCommit();
        assertThat(db.scalar("SELECT status FROM tidemark.table_state WHERE source_table = 'HR.EMP'")).isEqualTo("RUNNING");
    }

    @Test
    void aConnectionThatStopsAnsweringNeverFreezesTheTaskAndNothingIsLostOrRepeated() {
        TestTable emp = new TestTable("EMP", 0, offsets);
        TopicPartition tp = new TopicPartition(emp.topic, 0);
        writer = writerThroughProxy();
        writer.open(List.of(tp));
        writer.put(List.of(emp.insert(emp.row(1, "a", null))));
        writer.preCommit();
        long stored = offsets.get();

        proxy.blackhole(true);
        List<SinkRecord> next = List.of(emp.insert(emp.row(2, "b", null)), emp.insert(emp.row(3, "c", null)));
        long took = timed(() -> {
            writer.put(next);
            writer.preCommit();
            writer.put(List.of());
        });
        assertThat(took).as("a flush over a connection that stopped answering").isLessThan(BOUND_MS);
        assertThat(consumer.rewinds).containsEntry(tp, stored);

        // A partition assigned meanwhile: open() makes one bounded attempt and pauses it.
        TestTable dept = new TestTable("DEPT", 0, new AtomicLong());
        TopicPartition deptTp = new TopicPartition(dept.topic, 0);
        long opening = timed(() -> writer.open(List.of(deptTp)));
        assertThat(opening).as("open() while the database does not answer").isLessThan(BOUND_MS);
        assertThat(consumer.paused).contains(deptTp);

        proxy.blackhole(false);
        List<SinkRecord> all = new ArrayList<>(next);
        all.add(dept.insert(dept.row(7, "d", null)));
        deliverUntil(all, "SELECT (SELECT count(*) FROM hr.emp) + (SELECT count(*) FROM hr.dept)", 4);
        assertThat(consumer.paused).doesNotContain(deptTp);
        assertThat(db.rowsAsText("SELECT id, name FROM hr.emp ORDER BY id")).containsExactly("1|a", "2|b", "3|c");
        assertThat(writer.stats().upserted()).as("each row applied once").isEqualTo(4);
    }

    @Test
    void stopReturnsWhileTheDatabaseDoesNotAnswer() {
        TestTable emp = new TestTable("EMP", 0, offsets);
        writer = writerThroughProxy();
        writer.open(List.of(new TopicPartition(emp.topic, 0)));
        writer.put(List.of(emp.insert(emp.row(1, "a", null))));
        writer.preCommit();
        writer.put(List.of(emp.insert(emp.row(2, "b", null))));
        proxy.blackhole(true);
        SinkWriter stopping = writer;
        writer = null;
        assertThat(timed(stopping::stop)).isLessThan(BOUND_MS);
    }

    /** The count, or -1 while a table it reads does not exist yet. */
    private static long countOrMinusOne(String sql) {
        try {
            return db.count(sql);
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
