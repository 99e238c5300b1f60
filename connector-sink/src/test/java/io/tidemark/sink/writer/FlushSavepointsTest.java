package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.flush.ConnectionFactory;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * A flush's tables are applied without a savepoint each while PostgreSQL takes everything (each
 * savepoint is two round trips: a thousand tables paid thousands a flush); when it refuses
 * anything, the whole flush is rolled back and applied again under savepoints, table by table, so
 * that the error policies, the bisection and a table stopping alone work as before, and nothing is
 * counted, flagged or written twice.
 */
class FlushSavepointsTest {

    private static PostgresTestDatabase db;

    /** The names of the savepoints the flushes set (their prefix: tm_table_, tm_rows_, tm_direct_). */
    private final List<String> savepoints = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong offsets = new AtomicLong();
    private RecordingConsumer consumer;
    private SinkWriter writer;
    private int run;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("savepoints");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void cleanTarget() {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE");
    }

    @AfterEach
    void stopWriter() {
        if (writer != null) {
            writer.stop();
        }
    }

    private void start(ErrorPolicy policy) {
        consumer = new RecordingConsumer();
        ConnectionFactory plain = TestWriters.connections(db.jdbcUrl(), db.user(), db.password(), 10_000);
        writer = TestWriters.against(db).connector("sink-" + (++run)).policy(policy).consumer(consumer)
                .connections(() -> recordingSavepoints(plain.open())).start();
    }

    /** A target EMP whose NAME takes 5 characters: a longer one is refused by PostgreSQL, not the encoder. */
    private void startWithNarrowEmp(ErrorPolicy policy) {
        db.execute("CREATE SCHEMA hr", "CREATE TABLE hr.emp (id bigint PRIMARY KEY, name varchar(5), note text)");
        start(policy);
    }

    /** The connection, with the names of the flushes' savepoints noted as they are set. */
    private Connection recordingSavepoints(Connection real) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("setSavepoint") && args != null
                            && args[0] instanceof String name && name.startsWith("tm_")) {
                        savepoints.add(name.replaceAll("[0-9]+$", ""));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void apply(SinkRecord... records) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (SinkRecord r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
            if (!partitions.contains(tp)) {
                partitions.add(tp);
            }
        }
        writer.open(partitions);
        writer.put(List.of(records));
        writer.preCommit();
        writer.put(List.of());
    }

    private TestTable table(String name) {
        return new TestTable(name, 0, offsets);
    }

    private List<String> rows(String table) {
        return db.rowsAsText("SELECT id, name, note FROM hr." + table + " ORDER BY id");
    }

    @Test
    void aFlushPostgresTakesWholeSetsNoSavepoint() {
        start(ErrorPolicy.FAIL);
        TestTable emp = table("EMP");
        TestTable dept = table("DEPT");
        TestTable job = table("JOB");
        // A snapshot into new tables (the direct COPY), then changes (the staged merge).
        apply(emp.read(emp.row(1, "a", null)), dept.read(dept.row(1, "d", null)), job.read(job.row(1, "j", null)));
        apply(emp.update(emp.row(1, "a", null), emp.row(1, "a2", null)), dept.insert(dept.row(2, "e", null)),
                job.delete(job.row(1, "j", null)));

        assertThat(rows("emp")).containsExactly("1|a2|null");
        assertThat(rows("dept")).containsExactly("1|d|null", "2|e|null");
        assertThat(rows("job")).isEmpty();
        assertThat(savepoints).isEmpty();
        assertThat(writer.stats().upserted()).isEqualTo(5);
        assertThat(writer.stats().deleted()).isEqualTo(1);
    }

    @Test
    void aRefusedRowSendsTheFlushBackUnderSavepointsAndOnlyItsTableStops() {
        startWithNarrowEmp(ErrorPolicy.FAIL);
        TestTable dept = table("DEPT");
        TestTable emp = table("EMP");
        TestTable job = table("JOB");
        apply(dept.read(dept.row(1, "d", null)), emp.read(emp.row(1, "a", null)), job.read(job.row(1, "j", null)));
        savepoints.clear();

        SinkRecord tooLong = emp.update(emp.row(1, "a", null), emp.row(1, "much too long", null));
        apply(dept.insert(dept.row(2, "e", null)), tooLong, job.insert(job.row(2, "k", null)));

        assertThat(rows("dept")).containsExactly("1|d|null", "2|e|null");
        assertThat(rows("emp")).containsExactly("1|a|null");
        assertThat(rows("job")).containsExactly("1|j|null", "2|k|null");
        assertThat(db.scalar("SELECT reason FROM tidemark.table_state WHERE source_table = 'HR.EMP'"))
                .isEqualTo("record " + emp.topic + "/0@" + tooLong.kafkaOffset()
                        + ": value too long for type character varying(5) [22001] (table.error.policy=fail)");
        assertThat(consumer.paused).containsExactly(new TopicPartition(emp.topic, 0));
        assertThat(savepoints).contains("tm_table_", "tm_rows_");
        assertThat(writer.stats().upserted()).isEqualTo(3 + 2);
    }

    @Test
    void rowsSetAsideAreFlaggedOnceWhenTheFlushIsAppliedAgain() {
        startWithNarrowEmp(ErrorPolicy.FLAG);
        TestTable dept = table("DEPT");
        TestTable emp = table("EMP");
        // DEPT's NUL is set aside while its rows are encoded; EMP's too-long value is refused by
        // PostgreSQL, which sends the flush back: DEPT's record must not be flagged twice.
        SinkRecord deptFirst = dept.insert(dept.row(1, "d", null));
        SinkRecord nul = dept.insert(dept.row(9, "bad\u0000name", null));
        SinkRecord empFirst = emp.insert(emp.row(1, "a", null));
        SinkRecord tooLong = emp.insert(emp.row(2, "much too long", null));
        apply(deptFirst, nul, empFirst, tooLong, emp.insert(emp.row(3, "c", null)));

        assertThat(rows("dept")).containsExactly("1|d|null");
        assertThat(rows("emp")).containsExactly("1|a|null", "3|c|null");
        assertThat(db.rowsAsText("SELECT kafka_offset FROM tidemark.error_rows ORDER BY kafka_offset"))
                .containsExactly(Long.toString(nul.kafkaOffset()), Long.toString(tooLong.kafkaOffset()));
        assertThat(writer.stats().flagged()).isEqualTo(2);
        assertThat(writer.stats().upserted()).isEqualTo(3);
    }

    @Test
    void insertsOfKeysThatExistGoBackUnderSavepointsOnceThenTakeTheUpsert() {
        start(ErrorPolicy.FAIL);
        TestTable emp = table("EMP");
        TestTable dept = table("DEPT");
        apply(emp.read(emp.row(1, "a", null)), dept.read(dept.row(1, "d", null)));
        savepoints.clear();

        // A re-snapshot: EMP's direct COPY is refused; the flush goes back, EMP takes the upsert.
        apply(emp.read(emp.row(1, "a2", null)), dept.read(dept.row(2, "e", null)));
        assertThat(savepoints).contains("tm_table_", "tm_direct_");
        savepoints.clear();
        // EMP is known to refuse now: its upsert needs no savepoint, nor the flush a second go.
        apply(emp.read(emp.row(1, "a3", null)), dept.read(dept.row(3, "f", null)));

        assertThat(savepoints).isEmpty();
        assertThat(rows("emp")).containsExactly("1|a3|null");
        assertThat(rows("dept")).containsExactly("1|d|null", "2|e|null", "3|f|null");
        assertThat(writer.stats().upserted()).isEqualTo(6);
    }
}
