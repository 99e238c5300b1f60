package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * What a FULL table has staged is never stranded in its stage nor applied out of order: a table
 * that becomes PARTIAL while a batch of its changes is still on the way gets that batch too, and a
 * truncate in the middle of an iteration reaches the target with its iteration, after the changes
 * before it.
 */
class FullModeChangesTest {

    private static final Map<String, ConsistencyMode> FULL_AB = Map.of("HR.A", ConsistencyMode.FULL,
            "HR.B", ConsistencyMode.FULL);
    private static PostgresTestDatabase db;

    private final List<TestTask> tasks = new ArrayList<>();
    private final TestTask.Log log = new TestTask.Log();
    private final TestTable a = new TestTable("A", 0, new AtomicLong());
    private final TestTable b = new TestTable("B", 0, new AtomicLong());

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("full_changes");
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

    private TestTask iterationZeroApplied() {
        log.append(a.read(a.row(1, "a1", null)), a.read(a.row(2, "a2", null)), a.marker(0, 1, false),
                b.read(b.row(1, "b", null)), b.marker(0, 1, false));
        TestTask task = new TestTask(log, TestWriters.against(db).connector("changes-sink").modeOverrides(FULL_AB)
                .lifecyclePollIntervalMs(50).topics(a.topic, b.topic));
        tasks.add(task);
        task.pumpUntil("iteration 0 applied", () -> applied(0));
        return task;
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

    private static long stagedOfA() {
        Object stage = db.scalar("SELECT stage_name FROM tidemark.stage_table WHERE source_table = 'HR.A'");
        return stage == null || db.scalar("SELECT to_regclass(?)", "tidemark." + stage) == null ? 0
                : db.count("SELECT count(*) FROM tidemark." + stage);
    }

    /** Empty puts only: Connect's loop while no record comes, with the buffered batch not yet due. */
    private static void pollOnly(TestTask task, java.util.function.BooleanSupplier until) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!until.getAsBoolean() && System.currentTimeMillis() < deadline) {
            TestTask.sleep(60);
            task.writer.put(List.of());
        }
        assertThat(until.getAsBoolean()).isTrue();
    }

    @Test
    void aFullTableBecomingPartialWithABatchOfItsChangesOnTheWayStrandsNothing() {
        TestTask task = iterationZeroApplied();
        log.append(a.update(a.row(1, "a1", null), a.row(1, "a1-after", null)));
        task.take(); // buffered for the stage, not flushed yet
        db.execute("UPDATE tidemark.table_state SET desired_state = 'STOPPED' WHERE source_table = 'HR.A'");
        pollOnly(task, () -> "STOPPED".equals(status("HR.A")));
        db.execute("UPDATE tidemark.table_state SET desired_mode = 'PARTIAL' WHERE source_table = 'HR.A'");
        pollOnly(task, () -> "PARTIAL".equals(db.scalar("SELECT mode FROM tidemark.table_state WHERE source_table = 'HR.A'")));
        task.writer.preCommit(); // the batch is applied only now
        db.execute("UPDATE tidemark.table_state SET desired_state = 'RUNNING' WHERE source_table = 'HR.A'");
        task.pumpUntil("A running again", () -> "RUNNING".equals(status("HR.A")));
        task.pumpFor(300);
        assertThat(rows("a")).as("the change reached the PARTIAL table").containsExactly("1|a1-after", "2|a2");
        assertThat(stagedOfA()).as("nothing left in the stage of a PARTIAL table").isZero();
    }

    @Test
    void aTruncateInAFullIterationReachesTheTargetWithItsIterationAfterTheChangesBeforeIt() {
        TestTask task = iterationZeroApplied();
        log.append(a.update(a.row(1, "a1", null), a.row(1, "a1-before-truncate", null)));
        task.pumpUntil("A's change staged", () -> stagedOfA() == 1);
        log.append(a.truncate(), a.insert(a.row(3, "a3-after-truncate", null)));
        task.pumpFor(300);
        assertThat(rows("a")).as("the target, while iteration 1 is open").containsExactly("1|a1", "2|a2");

        log.append(a.marker(1, 1, false), b.marker(1, 1, false));
        task.pumpUntil("iteration 1 applied", () -> applied(1));
        assertThat(rows("a")).as("the target at marker 1").containsExactly("3|a3-after-truncate");
    }
}
