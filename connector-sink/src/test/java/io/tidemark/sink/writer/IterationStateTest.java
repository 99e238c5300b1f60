package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Where each partition stands in the iterations — which iterations still need completing, a FULL
 * partition waiting at its marker, a partition stopped at the final marker of a soft stop — is in
 * the database, so a task that restarts (or takes a partition over) at any moment carries on.
 */
class IterationStateTest {

    private static final Map<String, ConsistencyMode> FULL_AB = Map.of("HR.A", ConsistencyMode.FULL,
            "HR.B", ConsistencyMode.FULL);
    private static PostgresTestDatabase db;

    private final List<TestTask> tasks = new ArrayList<>();
    private final TestTask.Log log = new TestTask.Log();
    private final TestTable a = new TestTable("A", 0, new AtomicLong());
    private final TestTable b = new TestTable("B", 0, new AtomicLong());
    private final TestTable p = new TestTable("P", 0, new AtomicLong());

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("iteration_state");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void clean() {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE");
    }

    @AfterEach
    void stopTasks() {
        tasks.forEach(TestTask::stop);
    }

    private TestTask task() {
        TestTask t = new TestTask(log, TestWriters.against(db).connector("state-sink").modeOverrides(FULL_AB)
                .lifecyclePollIntervalMs(50).topics(a.topic, b.topic, p.topic));
        tasks.add(t);
        return t;
    }

    /** Connect restarts the task: the old one stops, a new one takes the partitions over. */
    private TestTask restart(TestTask old) {
        old.stop();
        tasks.remove(old);
        return task();
    }

    private static List<String> rows(String table) {
        return db.rowsAsText("SELECT id, name FROM hr." + table + " ORDER BY id");
    }

    private static String status(String table) {
        return (String) db.scalar("SELECT status FROM tidemark.table_state WHERE source_table = ?", table);
    }

    private static boolean applied(long iteration) {
        return "APPLIED".equals(db.scalar("SELECT status FROM tidemark.iteration WHERE iteration = ?", iteration));
    }

    private static long stagedOfA(long iteration) {
        Object stage = db.scalar("SELECT stage_name FROM tidemark.stage_table WHERE source_table = 'HR.A'");
        return stage == null ? 0 : db.count("SELECT count(*) FROM tidemark." + stage + " WHERE __tidemark_iteration = ?",
                iteration);
    }

    @Test
    void aTaskRestartedRightAfterTheFinalMarkersCommitCompletesTheFinalIterationAndTakesNothingAfterIt() {
        log.append(a.read(a.row(1, "a", null)), a.marker(0, 1, false), b.read(b.row(1, "b", null)),
                b.marker(0, 1, false), p.read(p.row(1, "p", null)), p.marker(0, 1, false));
        TestTask one = task();
        one.pumpUntil("iteration 0 applied", () -> applied(0));
        db.execute("UPDATE tidemark.project SET desired_state = 'SOFT_STOP'");
        one.pumpUntil("every table FINALIZING", () -> db.count("SELECT count(*) FROM tidemark.table_state"
                + " WHERE status = 'FINALIZING'") == 3);

        log.append(a.update(a.row(1, "a", null), a.row(1, "a-final", null)), a.marker(1, 1, true),
                a.update(a.row(1, "a-final", null), a.row(1, "after the end", null)),
                b.marker(1, 1, true), b.insert(b.row(2, "after the end", null)),
                p.insert(p.row(2, "p-final", null)), p.marker(1, 1, true), p.insert(p.row(3, "after the end", null)));
        one.take();
        one.writer.preCommit(); // the final markers commit, and the task is restarted right then
        assertThat(db.count("SELECT count(*) FROM tidemark.iteration_partition WHERE iteration = 1 AND final"))
                .as("every final marker committed").isEqualTo(3);

        TestTask two = restart(one);
        two.pumpUntil("the soft stop ended: every table STOPPED", () -> db.count("SELECT count(*) FROM"
                + " tidemark.table_state WHERE status = 'STOPPED' AND accepted_state = 'STOPPED'") == 3);
        two.pumpFor(300);
        assertThat(applied(1)).isTrue();
        assertThat(rows("a")).containsExactly("1|a-final");
        assertThat(rows("b")).containsExactly("1|b");
        assertThat(rows("p")).as("a PARTIAL table applies nothing after the final marker").containsExactly("1|p", "2|p-final");
        assertThat(stagedOfA(2)).as("a FULL table stages nothing after the final marker").isZero();
    }

    @Test
    void aFullPartitionRestartedWhileItWaitsAtItsMarkerStillWaits() {
        TopicPartition aTp = new TopicPartition(a.topic, 0);
        log.append(a.read(a.row(1, "a", null)), a.marker(0, 1, false), b.read(b.row(1, "b", null)),
                b.marker(0, 1, false), p.marker(0, 1, false), a.update(a.row(1, "a", null), a.row(1, "a-it1", null)),
                a.marker(1, 1, false), a.update(a.row(1, "a-it1", null), a.row(1, "a-it2", null)));
        TestTask one = task();
        one.pumpUntil("A waits at marker 1", () -> "WAITING".equals(status("HR.A")));

        TestTask two = restart(one);
        two.pumpFor(500);
        assertThat(status("HR.A")).as("A still waits for iteration 1").isEqualTo("WAITING");
        assertThat(two.consumer.paused).as("its partition is paused").contains(aTp);
        assertThat(stagedOfA(2)).as("nothing of iteration 2 is staged while iteration 1 is open").isZero();

        log.append(b.marker(1, 1, false), p.marker(1, 1, false));
        two.pumpUntil("iteration 1 applied and A goes on", () -> applied(1) && stagedOfA(2) == 1);
        assertThat(rows("a")).containsExactly("1|a-it1");
    }
}
