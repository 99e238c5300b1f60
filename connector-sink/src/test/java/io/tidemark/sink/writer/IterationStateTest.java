package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.sink.config.ConsistencyMode;

/**
 * Where each partition stands in the iterations — which iterations still need completing, a FULL
 * partition waiting at its marker, a partition stopped at the final marker of a soft stop — is in
 * the database, so a task that restarts (or takes a partition over) at any moment carries on.
 */
class IterationStateTest {

    private static final Map<String, ConsistencyMode> FULL_AB = Map.of("HR.A", ConsistencyMode.FULL,
            "HR.B", ConsistencyMode.FULL);

    @RegisterExtension
    static final SinkTestDatabase sink = new SinkTestDatabase("iteration_state");

    private final TestTask.Log log = new TestTask.Log();
    private final TestTable a = new TestTable("A", 0, new AtomicLong());
    private final TestTable b = new TestTable("B", 0, new AtomicLong());
    private final TestTable p = new TestTable("P", 0, new AtomicLong());

    private TestTask task() {
        TestTask t = new TestTask(log, TestWriters.against(sink.db()).connector("state-sink").modeOverrides(FULL_AB)
                .lifecyclePollIntervalMs(50).topics(a.topic, b.topic, p.topic));
        sink.track(t);
        return t;
    }

    /** Connect restarts the task: the old one stops, a new one takes the partitions over. */
    private TestTask restart(TestTask old) {
        sink.stop(old);
        return task();
    }

    private static long stagedOfA(long iteration) {
        Object stage = sink.db().scalar("SELECT stage_name FROM tidemark.stage_table WHERE source_table = 'HR.A'");
        return stage == null ? 0 : sink.db().count("SELECT count(*) FROM tidemark." + stage + " WHERE __tidemark_iteration = ?",
                iteration);
    }

    @Test
    void aTaskRestartedRightAfterTheFinalMarkersCommitCompletesTheFinalIterationAndTakesNothingAfterIt() {
        log.append(a.read(a.row(1, "a", null)), a.marker(0, 1, false), b.read(b.row(1, "b", null)),
                b.marker(0, 1, false), p.read(p.row(1, "p", null)), p.marker(0, 1, false));
        TestTask one = task();
        one.pumpUntil("iteration 0 applied", () -> sink.applied(0));
        sink.db().execute("UPDATE tidemark.project SET desired_state = 'SOFT_STOP'");
        one.pumpUntil("every table FINALIZING", () -> sink.db().count("SELECT count(*) FROM tidemark.table_state"
                + " WHERE status = 'FINALIZING'") == 3);

        log.append(a.update(a.row(1, "a", null), a.row(1, "a-final", null)), a.marker(1, 1, true),
                a.update(a.row(1, "a-final", null), a.row(1, "after the end", null)),
                b.marker(1, 1, true), b.insert(b.row(2, "after the end", null)),
                p.insert(p.row(2, "p-final", null)), p.marker(1, 1, true), p.insert(p.row(3, "after the end", null)));
        one.take();
        one.writer.preCommit(); // the final markers commit, and the task is restarted right then
        assertThat(sink.db().count("SELECT count(*) FROM tidemark.iteration_partition WHERE iteration = 1 AND final"))
                .as("every final marker committed").isEqualTo(3);

        TestTask two = restart(one);
        two.pumpUntil("the soft stop ended: every table STOPPED", () -> sink.db().count("SELECT count(*) FROM"
                + " tidemark.table_state WHERE status = 'STOPPED' AND accepted_state = 'STOPPED'") == 3);
        two.pumpFor(300);
        assertThat(sink.applied(1)).isTrue();
        assertThat(sink.rows("a")).containsExactly("1|a-final");
        assertThat(sink.rows("b")).containsExactly("1|b");
        assertThat(sink.rows("p")).as("a PARTIAL table applies nothing after the final marker").containsExactly("1|p", "2|p-final");
        assertThat(stagedOfA(2)).as("a FULL table stages nothing after the final marker").isZero();
    }

    @Test
    void aFullPartitionRestartedWhileItWaitsAtItsMarkerStillWaits() {
        TopicPartition aTp = new TopicPartition(a.topic, 0);
        log.append(a.read(a.row(1, "a", null)), a.marker(0, 1, false), b.read(b.row(1, "b", null)),
                b.marker(0, 1, false), p.marker(0, 1, false), a.update(a.row(1, "a", null), a.row(1, "a-it1", null)),
                a.marker(1, 1, false), a.update(a.row(1, "a-it1", null), a.row(1, "a-it2", null)));
        TestTask one = task();
        one.pumpUntil("A waits at marker 1", () -> "WAITING".equals(sink.status("HR.A")));

        TestTask two = restart(one);
        two.pumpFor(500);
        assertThat(sink.status("HR.A")).as("A still waits for iteration 1").isEqualTo("WAITING");
        assertThat(two.consumer.paused).as("its partition is paused").contains(aTp);
        assertThat(stagedOfA(2)).as("nothing of iteration 2 is staged while iteration 1 is open").isZero();

        log.append(b.marker(1, 1, false), p.marker(1, 1, false));
        two.pumpUntil("iteration 1 applied and A goes on", () -> sink.applied(1) && stagedOfA(2) == 1);
        assertThat(sink.rows("a")).containsExactly("1|a-it1");
    }
}
