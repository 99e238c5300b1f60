package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.sink.config.ConsistencyMode;

/**
 * What a FULL table has staged is never stranded in its stage nor applied out of order: a table
 * that becomes PARTIAL while a batch of its changes is still on the way gets that batch too, and a
 * truncate in the middle of an iteration reaches the target with its iteration, after the changes
 * before it.
 */
class FullModeChangesTest {

    private static final Map<String, ConsistencyMode> FULL_AB = Map.of("HR.A", ConsistencyMode.FULL,
            "HR.B", ConsistencyMode.FULL);

    @RegisterExtension
    static final SinkTestDatabase sink = new SinkTestDatabase("full_changes");

    private final TestTask.Log log = new TestTask.Log();
    private final TestTable a = new TestTable("A", 0, new AtomicLong());
    private final TestTable b = new TestTable("B", 0, new AtomicLong());

    private TestTask iterationZeroApplied() {
        log.append(a.read(a.row(1, "a1", null)), a.read(a.row(2, "a2", null)), a.marker(0, 1, false),
                b.read(b.row(1, "b", null)), b.marker(0, 1, false));
        TestTask task = new TestTask(log, TestWriters.against(sink.db()).connector("changes-sink").modeOverrides(FULL_AB)
                .lifecyclePollIntervalMs(50).topics(a.topic, b.topic));
        sink.track(task);
        task.pumpUntil("iteration 0 applied", () -> sink.applied(0));
        return task;
    }

    private static long stagedOfA() {
        Object stage = sink.db().scalar("SELECT stage_name FROM tidemark.stage_table WHERE source_table = 'HR.A'");
        return stage == null || sink.db().scalar("SELECT to_regclass(?)", "tidemark." + stage) == null ? 0
                : sink.db().count("SELECT count(*) FROM tidemark." + stage);
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
        sink.db().execute("UPDATE tidemark.table_state SET desired_state = 'STOPPED' WHERE source_table = 'HR.A'");
        pollOnly(task, () -> "STOPPED".equals(sink.status("HR.A")));
        sink.db().execute("UPDATE tidemark.table_state SET desired_mode = 'PARTIAL' WHERE source_table = 'HR.A'");
        pollOnly(task, () -> "PARTIAL".equals(sink.db().scalar("SELECT mode FROM tidemark.table_state WHERE source_table = 'HR.A'")));
        task.writer.preCommit(); // the batch is applied only now
        sink.db().execute("UPDATE tidemark.table_state SET desired_state = 'RUNNING' WHERE source_table = 'HR.A'");
        task.pumpUntil("A running again", () -> "RUNNING".equals(sink.status("HR.A")));
        task.pumpFor(300);
        assertThat(sink.rows("a")).as("the change reached the PARTIAL table").containsExactly("1|a1-after", "2|a2");
        assertThat(stagedOfA()).as("nothing left in the stage of a PARTIAL table").isZero();
    }

    @Test
    void aTruncateInAFullIterationReachesTheTargetWithItsIterationAfterTheChangesBeforeIt() {
        TestTask task = iterationZeroApplied();
        log.append(a.update(a.row(1, "a1", null), a.row(1, "a1-before-truncate", null)));
        task.pumpUntil("A's change staged", () -> stagedOfA() == 1);
        log.append(a.truncate(), a.insert(a.row(3, "a3-after-truncate", null)));
        task.pumpFor(300);
        assertThat(sink.rows("a")).as("the target, while iteration 1 is open").containsExactly("1|a1", "2|a2");

        log.append(a.marker(1, 1, false), b.marker(1, 1, false));
        task.pumpUntil("iteration 1 applied", () -> sink.applied(1));
        assertThat(sink.rows("a")).as("the target at marker 1").containsExactly("3|a3-after-truncate");
    }
}
