package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.config.PostgresSinkConfig;
import io.tidemark.sink.errors.RetryPolicy;
import io.tidemark.sink.flush.ConnectionFactory;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TcpProxy;

/**
 * Nothing the database or the network does may freeze a task: a lock held by an abandoned
 * session, a connection that stops answering, a server that cannot be reached while partitions
 * are assigned. Each call returns within a bound, says why it waits, and once the cause is gone
 * applies everything exactly once. The writer's connections come from the sink's own
 * {@link ConnectionFactory} with short timeouts, so these are the settings a task runs with.
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

    /**
     * A writer whose connections go through the proxy, made by the sink's own factory from its
     * configuration (the session settings a task has): 2 s to connect and for any answer, 1 s per
     * statement, 500 ms per lock wait.
     */
    private SinkWriter writerThroughProxy() {
        Map<String, String> props = new HashMap<>();
        props.put(PostgresSinkConfig.CONNECTION_URL, db.jdbcUrlVia(proxy.host(), proxy.port(), "prepareThreshold=0"));
        props.put(PostgresSinkConfig.CONNECTION_USER, db.user());
        props.put(PostgresSinkConfig.CONNECTION_PASSWORD, db.password());
        props.put(PostgresSinkConfig.CONNECTION_TIMEOUT_MS, "2000");
        props.put(PostgresSinkConfig.CONNECTION_SOCKET_TIMEOUT_MS, "2000");
        props.put(PostgresSinkConfig.CONNECTION_STATEMENT_TIMEOUT_MS, "1000");
        props.put(PostgresSinkConfig.CONNECTION_LOCK_TIMEOUT_MS, "500");
        return TestWriters.against(db).connector("timeout-sink").consumer(consumer)
                .retry(new RetryPolicy(60_000, 50, 200)).flushMaxWaitMs(10_000)
                .connections(ConnectionFactory.of(new PostgresSinkConfig(props), "timeouts-test")).start();
    }

    private static long timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** A writer through the proxy that has applied row 1 of HR.EMP (so the table exists). */
    private TestTable empWithRowOneApplied() {
        TestTable emp = new TestTable("EMP", 0, offsets);
        writer = writerThroughProxy();
        writer.open(List.of(new TopicPartition(emp.topic, 0)));
        putAndPreCommit(List.of(emp.insert(emp.row(1, "a", null))));
        return emp;
    }

    private void putAndPreCommit(List<SinkRecord> records) {
        writer.put(records);
        writer.preCommit();
    }

    private static String empStatus() {
        return String.join("\n", db.rowsAsText("SELECT status, reason FROM tidemark.table_state WHERE source_table = 'HR.EMP'"));
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
        TestTable emp = empWithRowOneApplied();

        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("SET application_name = 'forgotten-psql'");
            st.execute("LOCK TABLE hr.emp IN ACCESS EXCLUSIVE MODE"); // and then nothing: idle in transaction
            List<SinkRecord> next = List.of(emp.insert(emp.row(2, "b", null)));
            long took = timed(() -> putAndPreCommit(next));
            assertThat(took).as("put and preCommit while the table is locked").isLessThan(BOUND_MS);
            assertThat(empStatus()).startsWith("ERROR_RETRIABLE|retrying: table HR.EMP: canceling statement due to lock timeout")
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
    void aRunawayStatementIsCancelledByTheStatementTimeoutAndRetried() {
        TestTable emp = empWithRowOneApplied();
        // A trigger someone put on the target that takes a minute per row, until it is switched off.
        db.execute("CREATE TABLE public.crawling (on_ boolean)", "INSERT INTO public.crawling VALUES (true)",
                "CREATE FUNCTION public.crawl() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "IF (SELECT on_ FROM public.crawling) THEN PERFORM pg_sleep(60); END IF; RETURN NEW; END $$",
                "CREATE TRIGGER crawl BEFORE INSERT OR UPDATE ON hr.emp FOR EACH ROW EXECUTE FUNCTION public.crawl()");
        try {
            List<SinkRecord> next = List.of(emp.insert(emp.row(2, "b", null)));
            long took = timed(() -> putAndPreCommit(next));
            assertThat(took).as("put and preCommit while a statement runs away").isLessThan(BOUND_MS);
            assertThat(empStatus()).startsWith("ERROR_RETRIABLE|retrying: table HR.EMP: canceling statement due to statement timeout");
            db.execute("UPDATE public.crawling SET on_ = false");
            deliverUntil(next, "SELECT count(*) FROM hr.emp", 2);
        } finally {
            db.execute("DROP TABLE public.crawling", "DROP FUNCTION public.crawl() CASCADE");
        }
        assertThat(db.rowsAsText("SELECT id, name FROM hr.emp ORDER BY id")).containsExactly("1|a", "2|b");
    }

    @Test
    void aConnectionThatStopsAnsweringNeverFreezesTheTaskAndNothingIsLostOrRepeated() {
        TestTable emp = empWithRowOneApplied();
        TopicPartition tp = new TopicPartition(emp.topic, 0);
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
        TestTable emp = empWithRowOneApplied();
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
