package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.errors.RetryPolicy;
import io.tidemark.sink.flush.ConnectionFactory;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TcpProxy;

/**
 * The window no retry logic can see into: the connection breaks after COMMIT reached the server
 * and before its answer reached the task. The flush did commit, the task cannot know; the next
 * flush must take the database's offsets as the truth, so that nothing is applied twice (a trigger
 * records every row version the target receives) and nothing is skipped.
 */
class LostCommitTest {

    private static PostgresTestDatabase db;
    private final AtomicLong offsets = new AtomicLong();
    private TcpProxy proxy;
    private SinkWriter writer;
    private final RecordingConsumer consumer = new RecordingConsumer();

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("lost_commit");
        db.execute("CREATE SCHEMA hr", "CREATE TABLE hr.emp (id bigint PRIMARY KEY, name text, note text)",
                "CREATE TABLE public.applied (seq bigserial PRIMARY KEY, id bigint, name text)",
                "CREATE FUNCTION public.note_applied() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN INSERT INTO public.applied (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END $$",
                "CREATE TRIGGER note_applied AFTER INSERT OR UPDATE ON hr.emp FOR EACH ROW EXECUTE FUNCTION public.note_applied()");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.stop();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aCommitWhoseAnswerIsLostIsFoundOutAndNeitherRepeatedNorLost() {
        proxy = TcpProxy.to(db.host(), db.port());
        String url = db.jdbcUrlVia(proxy.host(), proxy.port(), "prepareThreshold=0&socketTimeout=5");
        writer = TestWriters.against(db).connector("lost-commit-sink").consumer(consumer)
                .lifecyclePollIntervalMs(60_000) // its own connection must not send the COMMIT the proxy cuts
                .retry(new RetryPolicy(30_000, 50, 200))
                .connections(TestWriters.connections(url, db.user(), db.password(), 5_000)).start();
        TestTable emp = new TestTable("EMP", 0, offsets);
        TopicPartition tp = new TopicPartition(emp.topic, 0);
        writer.open(List.of(tp));
        writer.put(List.of(emp.insert(emp.row(1, "v1", null))));
        writer.preCommit();
        long beforeLostCommit = offsets.get();

        List<SinkRecord> second = new ArrayList<>();
        for (int id = 2; id <= 5; id++) {
            second.add(emp.insert(emp.row(id, "v1", null)));
        }
        proxy.dropAfterNext("COMMIT");
        writer.put(second);
        writer.preCommit();
        writer.put(List.of());
        assertThat(proxy.drops()).as("the COMMIT was cut off").isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM hr.emp")).as("it committed nonetheless").isEqualTo(5);
        assertThat(consumer.rewinds).as("the task believed it failed and went back").containsEntry(tp, beforeLostCommit);

        // Connect delivers the batch again from there, then more; the task finds out from the stored offsets.
        List<SinkRecord> replay = new ArrayList<>(second);
        SinkRecord update = emp.update(emp.row(1, "v1", null), emp.row(1, "v2", null));
        replay.add(update);
        long deadline = System.currentTimeMillis() + 15_000;
        while (!"v2".equals(db.scalar("SELECT name FROM hr.emp WHERE id = 1")) && System.currentTimeMillis() < deadline) {
            writer.put(replay);
            writer.preCommit();
            writer.put(List.of());
            sleep(50);
        }
        assertThat(db.rowsAsText("SELECT id, name FROM hr.emp ORDER BY id"))
                .containsExactly("1|v2", "2|v1", "3|v1", "4|v1", "5|v1");
        assertThat(db.rowsAsText("SELECT id, count(*) FROM public.applied GROUP BY id HAVING count(*) > 1 AND id <> 1"))
                .as("rows 2..5 applied once each").isEmpty();
        assertThat(db.count("SELECT count(*) FROM public.applied")).isEqualTo(6);
        assertThat(writer.preCommit()).containsEntry(tp, offsets.get());
    }

    /**
     * The lost COMMIT carried FULL table A's marker 1: the database has A past marker 1, the task
     * believed it was not. What A carries after marker 1 belongs to iteration 2 and waits for it; it
     * must not be staged as iteration 1 and shown with it.
     */
    @Test
    void aLostCommitOfAMarkerLeavesTheChangesAfterItInTheNextIteration() {
        proxy = TcpProxy.to(db.host(), db.port());
        String viaProxy = db.jdbcUrlVia(proxy.host(), proxy.port(), "prepareThreshold=0&socketTimeout=5");
        ConnectionFactory proxied = TestWriters.connections(viaProxy, db.user(), db.password(), 5_000);
        ConnectionFactory direct = TestWriters.connections(db.jdbcUrl(), db.user(), db.password(), 5_000);
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        // The flushes' first connection (opened by start) goes through the proxy; the others do not send its COMMIT.
        ConnectionFactory firstViaProxy = () -> opened.getAndIncrement() == 0 ? proxied.open() : direct.open();
        TestTask.Log log = new TestTask.Log();
        TestTable a = new TestTable("A", 0, new AtomicLong());
        TestTable b = new TestTable("B", 0, new AtomicLong());
        TestTask task = new TestTask(log, TestWriters.against(db).connector("lost-marker-sink").project("lost-marker")
                .controlSchema("tm_lost_marker").modeOverrides(java.util.Map.of("HR.A",
                        io.tidemark.sink.config.ConsistencyMode.FULL, "HR.B", io.tidemark.sink.config.ConsistencyMode.FULL))
                .lifecyclePollIntervalMs(50).retry(new RetryPolicy(30_000, 50, 200)).connections(firstViaProxy));
        writer = task.writer;
        log.append(a.read(a.row(1, "a1", null)), a.read(a.row(2, "a2", null)), a.marker(0, 1, false),
                b.read(b.row(1, "b1", null)), b.marker(0, 1, false));
        task.pumpUntil("iteration 0 applied", () -> "APPLIED".equals(db.scalar(
                "SELECT status FROM tm_lost_marker.iteration WHERE iteration = 0")));

        log.append(a.update(a.row(1, "a1", null), a.row(1, "a1-it1", null)));
        task.pumpUntil("A's change staged (its stage made)", () -> db.count("SELECT count(*) FROM tm_lost_marker.stage_table") == 1);
        proxy.dropAfterNext("COMMIT");
        log.append(a.marker(1, 1, false), a.update(a.row(2, "a2", null), a.row(2, "a2-it2", null)));
        task.pumpUntil("the COMMIT of marker 1 was cut off", () -> proxy.drops() == 1);
        task.pumpFor(1_000);
        assertThat(db.count("SELECT count(*) FROM tm_lost_marker.iteration_partition WHERE iteration = 1"))
                .as("marker 1 committed nonetheless").isEqualTo(1);

        log.append(b.update(b.row(1, "b1", null), b.row(1, "b1-it1", null)), b.marker(1, 1, false));
        task.pumpUntil("iteration 1 applied", () -> "APPLIED".equals(db.scalar(
                "SELECT status FROM tm_lost_marker.iteration WHERE iteration = 1")));
        assertThat(db.rowsAsText("SELECT id, name FROM hr.a ORDER BY id"))
                .as("iteration 1 shows A as it was at marker 1").containsExactly("1|a1-it1", "2|a2");

        log.append(a.marker(2, 1, false), b.marker(2, 1, false));
        task.pumpUntil("iteration 2 applied", () -> "APPLIED".equals(db.scalar(
                "SELECT status FROM tm_lost_marker.iteration WHERE iteration = 2")));
        assertThat(db.rowsAsText("SELECT id, name FROM hr.a ORDER BY id")).containsExactly("1|a1-it1", "2|a2-it2");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
