package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.config.ErrorPolicy;

/**
 * A FULL table that stops with an error gives back what it staged for iterations not yet applied
 * and goes back, in the database and in Kafka, to the first change its target does not have: never
 * one without the other, only for partitions the task still owns, and never in the middle of an
 * iteration being applied. Started again (after the cause is fixed), it loses nothing.
 */
class FullAbortTest {

    private static final Map<String, ConsistencyMode> FULL_AB = Map.of("HR.A", ConsistencyMode.FULL,
            "HR.B", ConsistencyMode.FULL);

    @RegisterExtension
    static final SinkTestDatabase sink = new SinkTestDatabase("full_abort");

    private final TestTask.Log log = new TestTask.Log();
    private final TestTable a = new TestTable("A", 0, new AtomicLong());
    private final TestTable b = new TestTable("B", 0, new AtomicLong());
    private final TopicPartition aTp = new TopicPartition(a.topic, 0);

    private TestTask task(String id, ErrorPolicy policyOfA) {
        return task(id, policyOfA, null);
    }

    private TestTask task(String id, ErrorPolicy policyOfA, Set<TopicPartition> only) {
        TestTask t = new TestTask(log, TestWriters.against(sink.db()).connector("abort-sink").task(id).modeOverrides(FULL_AB)
                .overrides(Map.of("HR.A", policyOfA)).lifecyclePollIntervalMs(50).topics(a.topic, b.topic), only);
        sink.track(t);
        return t;
    }

    private SinkRecord bad() {
        return a.record(a.events.keyOf(a.row(99, "x", null)), Schema.STRING_SCHEMA, "not a struct");
    }

    private long storedOffset(TopicPartition tp) {
        return (Long) sink.db().scalar("SELECT next_offset FROM tidemark.kafka_offsets WHERE topic = ? AND kafka_partition = ?",
                tp.topic(), tp.partition());
    }

    private long stagedRowsOfA() {
        Object stage = sink.db().scalar("SELECT stage_name FROM tidemark.stage_table WHERE source_table = 'HR.A'");
        return stage == null ? 0 : sink.db().count("SELECT count(*) FROM tidemark." + stage);
    }

    /** The operator fixes the cause (the bad record is skipped from now on), restarts the task and starts A. */
    private TestTask fixRestartAndStartA(TestTask failed) {
        sink.stop(failed);
        TestTask fixed = task("0", ErrorPolicy.SKIP);
        fixed.pump();
        sink.db().execute("UPDATE tidemark.table_state SET desired_state = 'RUNNING' WHERE source_table = 'HR.A'");
        fixed.pumpUntil("A started again", () -> !fixed.consumer.paused.contains(aTp) && !"ERROR_ABORTED".equals(sink.status("HR.A")));
        return fixed;
    }

    @Test
    void aBadRecordWhileAnotherTableIsStillInItsSnapshotLosesNoStagedChange() {
        SinkRecord snapshot = a.read(a.row(1, "a", null)); // offsets in the order the records are made
        SinkRecord aMarker0 = a.marker(0, 1, false);
        SinkRecord staged = a.update(a.row(1, "a", null), a.row(1, "staged", null));
        log.append(snapshot, aMarker0, staged, b.read(b.row(1, "b", null)));
        TestTask one = task("0", ErrorPolicy.FAIL);
        one.pumpUntil("A's change staged", () -> stagedRowsOfA() == 1);
        assertThat(sink.applied(0)).as("B is still in its snapshot: iteration 0 is not complete").isFalse();

        log.append(bad());
        one.pumpUntil("A stopped", () -> "ERROR_ABORTED".equals(sink.status("HR.A")));
        // The status can be visible before the rewind's commit (a loaded machine showed 3 after 300 ms): wait for the
        // rewind, then check that it stays.
        one.pumpUntil("A's partition rewound", () -> storedOffset(aTp) == aMarker0.kafkaOffset() + 1);
        one.pumpFor(300);
        assertThat(storedOffset(aTp)).as("A's partition goes back to the first change its target lacks: the one after "
                + "marker 0 (staged rows left: %s)", stagedRowsOfA()).isEqualTo(aMarker0.kafkaOffset() + 1);

        TestTask fixed = fixRestartAndStartA(one);
        log.append(a.marker(1, 1, false), b.marker(0, 1, false), b.marker(1, 1, false));
        fixed.pumpUntil("iteration 1 applied", () -> sink.applied(1));
        assertThat(sink.rows("a")).as("A's staged change reached the target with its iteration").containsExactly("1|staged");
        assertThat(sink.rows("b")).containsExactly("1|b");
    }

    @Test
    void aTableThatRejoinedAfterAStopLosesNoStagedChangeWhenItAborts() {
        log.append(a.read(a.row(1, "a1", null)), a.read(a.row(2, "a2", null)), a.read(a.row(3, "a3", null)),
                a.marker(0, 1, false), b.read(b.row(1, "b", null)), b.marker(0, 1, false));
        TestTask one = task("0", ErrorPolicy.FAIL);
        one.pumpUntil("iteration 0 applied", () -> sink.applied(0));
        sink.db().execute("UPDATE tidemark.table_state SET desired_state = 'STOPPED' WHERE source_table = 'HR.A'");
        one.pumpUntil("A stopped", () -> "STOPPED".equals(sink.status("HR.A")));

        // A changes through iterations 1 and 2 while it is stopped; they are applied to B alone.
        log.append(a.update(a.row(1, "a1", null), a.row(1, "a1-it1", null)), a.marker(1, 1, false),
                a.update(a.row(2, "a2", null), a.row(2, "a2-it2", null)), a.marker(2, 1, false),
                a.update(a.row(3, "a3", null), a.row(3, "a3-it3", null)),
                b.update(b.row(1, "b", null), b.row(1, "b-it1", null)), b.marker(1, 1, false), b.marker(2, 1, false));
        one.pumpUntil("iteration 2 applied without A", () -> sink.applied(2));

        // Started again, A catches up: its changes of iterations 1..3 are staged, to be applied when it rejoins.
        sink.db().execute("UPDATE tidemark.table_state SET desired_state = 'RUNNING' WHERE source_table = 'HR.A'");
        one.pumpUntil("A caught up", () -> stagedRowsOfA() == 3);
        log.append(bad());
        one.pumpUntil("A stopped", () -> "ERROR_ABORTED".equals(sink.status("HR.A")));
        one.pumpFor(300);

        // Started again, A catches up once more and rejoins at the next marker: iteration 4.
        TestTask fixed = fixRestartAndStartA(one);
        log.append(a.marker(3, 1, false), b.marker(3, 1, false), a.marker(4, 1, false), b.marker(4, 1, false));
        fixed.pumpUntil("iteration 4 applied", () -> sink.applied(4));
        assertThat(sink.rows("a")).as("every change A staged while it caught up reached its target")
                .containsExactly("1|a1-it1", "2|a2-it2", "3|a3-it3");
    }

    /**
     * A task that lost A's partition without knowing it (a zombie: its session outlived
     * max.poll.interval.ms) meets a bad record of A: it must not drop what A's new owner staged.
     */
    @Test
    void aZombieDoesNotDropWhatItsSuccessorStaged() {
        log.append(a.read(a.row(1, "a", null)), a.marker(0, 1, false), b.read(b.row(1, "b", null)),
                b.marker(0, 1, false));
        TestTask zombie = task("0", ErrorPolicy.FAIL, Set.of(aTp));
        zombie.pump();
        TestTask successor = task("1", ErrorPolicy.FAIL);
        successor.pumpUntil("iteration 0 applied", () -> sink.applied(0));
        log.append(a.update(a.row(1, "a", null), a.row(1, "staged by the successor", null)));
        successor.pumpUntil("the successor staged A's change", () -> stagedRowsOfA() == 1);
        long offsetBefore = storedOffset(aTp);

        log.append(bad());
        zombie.pumpFor(500);
        assertThat(stagedRowsOfA()).as("the successor's staged change").isEqualTo(1);
        assertThat(storedOffset(aTp)).as("the successor's offset").isEqualTo(offsetBefore);
    }

    /** An abort drops staged rows: never while an iteration is applied from them (the iteration lock). */
    @Test
    void anAbortWaitsForTheIterationBeingApplied() throws Exception {
        log.append(a.read(a.row(1, "a", null)), a.marker(0, 1, false), b.read(b.row(1, "b", null)),
                b.marker(0, 1, false), a.update(a.row(1, "a", null), a.row(1, "staged", null)));
        TestTask one = task("0", ErrorPolicy.FAIL);
        one.pumpUntil("A's change staged", () -> stagedRowsOfA() == 1);
        try (Connection holder = sink.db().connect(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("SELECT pg_advisory_xact_lock(hashtext('tidemark:iteration:proj'))"); // as the coordinator does
            log.append(bad());
            CompletableFuture<Void> pumping = CompletableFuture.runAsync(() -> one.pumpFor(1_500));
            pumping.get(60, TimeUnit.SECONDS);
            assertThat(stagedRowsOfA()).as("staged rows while an iteration holds the lock").isEqualTo(1);
            holder.rollback();
        }
        one.pumpUntil("A's staged change dropped once the lock is free", () -> stagedRowsOfA() == 0);
        assertThat(storedOffset(aTp)).isEqualTo(2L); // after marker 0
    }
}
