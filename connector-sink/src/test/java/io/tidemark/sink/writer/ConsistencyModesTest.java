package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * FULL and PARTIAL tables, iterations and the table lifecycle with real writers (several, like
 * several tasks) and a real PostgreSQL, without Kafka: FULL tables change only at markers and all
 * at once, PARTIAL ones as batches come; desired states are accepted or refused by the action table.
 */
class ConsistencyModesTest {

    private static PostgresTestDatabase db;

    /** A writer with what Connect would have told it: the partitions it opened and what it paused. */
    private static final class Task {
        final RecordingConsumer consumer = new RecordingConsumer();
        final SinkWriter writer;
        final Set<TopicPartition> opened = new HashSet<>();

        Task(String id, Map<String, ConsistencyMode> modes, String... topics) {
            writer = TestWriters.against(db).connector("modes-sink").task(id).consumer(consumer).modeOverrides(modes)
                    .lifecyclePollIntervalMs(50).topics(topics).start();
        }

        void deliver(SinkRecord... records) {
            List<TopicPartition> fresh = new ArrayList<>();
            for (SinkRecord r : records) {
                TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
                if (opened.add(tp)) {
                    fresh.add(tp);
                }
            }
            if (!fresh.isEmpty()) {
                writer.open(fresh);
            }
            writer.put(List.of(records));
            writer.preCommit();
            writer.put(List.of());
        }

        /** Polls as Connect would while it waits (empty puts) until the condition holds, 10 s at most. */
        void pollUntil(BooleanSupplier condition) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
                writer.put(List.of());
                writer.preCommit();
                sleep(50);
            }
            assertThat(condition.getAsBoolean()).as("condition reached within 10 s").isTrue();
        }

        void poll() {
            sleep(60);
            writer.put(List.of());
        }
    }

    private final List<Task> tasks = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("modes");
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
    void stop() {
        tasks.forEach(t -> t.writer.stop());
    }

    private Task task(String id, Map<String, ConsistencyMode> modes, String... topics) {
        Task t = new Task(id, modes, topics);
        tasks.add(t);
        return t;
    }

    private static final Map<String, ConsistencyMode> FULL_AB = Map.of("HR.A", ConsistencyMode.FULL,
            "HR.B", ConsistencyMode.FULL);

    private static List<String> rows(String table) {
        return db.rowsAsText("SELECT id, name FROM hr." + table + " ORDER BY id");
    }

    private static String status(String table) {
        return (String) db.scalar("SELECT status FROM tidemark.table_state WHERE source_table = ?", table);
    }

    private static String iterationStatus(long iteration) {
        return (String) db.scalar("SELECT status FROM tidemark.iteration WHERE iteration = ?", iteration);
    }

    @Test
    void fullTablesChangeOnlyAtMarkersAndAllAtOnce() {
        TestTable a = new TestTable("A", 0, new AtomicLong());
        TestTable b = new TestTable("B", 0, new AtomicLong());
        Task one = task("0", FULL_AB);
        Task two = task("1", FULL_AB);
        // Iteration 0, the snapshot, applies directly.
        one.deliver(a.read(a.row(1, "a-v0", null)), a.marker(0, 1, false));
        two.deliver(b.read(b.row(1, "b-v0", null)), b.marker(0, 1, false));
        assertThat(rows("a")).containsExactly("1|a-v0");
        assertThat(rows("b")).containsExactly("1|b-v0");

        // Iteration 1 is staged: nothing changes in the target.
        one.deliver(a.update(a.row(1, "a-v0", null), a.row(1, "a-v1", null)), a.insert(a.row(2, "a2-v1", null)));
        two.deliver(b.update(b.row(1, "b-v0", null), b.row(1, "b-v1", null)));
        assertThat(rows("a")).containsExactly("1|a-v0");
        assertThat(rows("b")).containsExactly("1|b-v0");

        // A reaches marker 1 and waits; B has not: still nothing.
        SinkRecord marker1 = a.marker(1, 1, false);
        SinkRecord afterMarker = a.insert(a.row(3, "a3-v2", null));
        one.deliver(marker1, afterMarker);
        one.poll();
        assertThat(one.consumer.paused).as("A's partition waits").contains(new TopicPartition(a.topic, 0));
        assertThat(status("HR.A")).isEqualTo("WAITING");
        assertThat(rows("a")).containsExactly("1|a-v0");
        assertThat((String) db.scalar("SELECT waiting_for FROM tidemark.iteration WHERE iteration = 1"))
                .contains("HR.B (0 of 1 partitions past marker 1)");
        assertThat(one.consumer.rewinds).as("the record after the marker comes again after the wait")
                .containsEntry(new TopicPartition(a.topic, 0), afterMarker.kafkaOffset());

        // B reaches marker 1: iteration 1 is applied to both in one transaction.
        two.deliver(b.marker(1, 1, false));
        two.pollUntil(() -> "APPLIED".equals(iterationStatus(1)));
        assertThat(rows("a")).containsExactly("1|a-v1", "2|a2-v1");
        assertThat(rows("b")).containsExactly("1|b-v1");
        assertThat(db.rowsAsText("SELECT upserted, deleted, tables_completed, tables_total, status FROM "
                + "tidemark.iteration WHERE iteration = 1")).containsExactly("3|0|2|2|APPLIED");
        assertThat(db.rowsAsText("SELECT source_table, mode, upserted FROM tidemark.iteration_table WHERE iteration = 1"
                + " ORDER BY 1")).containsExactly("HR.A|FULL|2", "HR.B|FULL|1");
        assertThat(db.scalar("SELECT apply_ms IS NOT NULL FROM tidemark.iteration WHERE iteration = 1")).isEqualTo(true);

        // A goes on.
        one.pollUntil(() -> !one.consumer.paused.contains(new TopicPartition(a.topic, 0)));
        assertThat(status("HR.A")).isEqualTo("RUNNING");
        assertThat(db.count("SELECT count(*) FROM tidemark.stage_table")).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM tidemark." + db.scalar(
                "SELECT stage_name FROM tidemark.stage_table WHERE source_table = 'HR.A'"))).as("stage emptied").isZero();
    }

    /**
     * As in a pipeline whose second task gets its partition (or whose second topic appears) seconds
     * after the first: a table of the topics list that no task holds yet is waited for from iteration
     * 0, so A's iteration 1 is not applied alone, and B's snapshot never lands beside A at marker 1.
     */
    @Test
    void aConfiguredFullTableThatNoTaskHoldsYetIsWaitedForFromIterationZero() {
        TestTable a = new TestTable("A", 0, new AtomicLong());
        TestTable b = new TestTable("B", 0, new AtomicLong());
        Task one = task("0", FULL_AB, a.topic, b.topic);
        one.deliver(a.read(a.row(1, "a-v0", null)), a.marker(0, 1, false));
        one.deliver(a.update(a.row(1, "a-v0", null), a.row(1, "a-v1", null)), a.marker(1, 1, false));
        one.poll();
        one.poll();
        assertThat(status("HR.B")).as("B has its row before any task holds it").isEqualTo("RUNNING");
        assertThat(db.rowsAsText("SELECT iteration, status FROM tidemark.iteration ORDER BY 1"))
                .as("neither iteration is complete without B").containsExactly("0|WAITING", "1|WAITING");
        assertThat((String) db.scalar("SELECT waiting_for FROM tidemark.iteration WHERE iteration = 1"))
                .contains("HR.B (0 of ? partitions past marker 1)");
        assertThat(rows("a")).as("A's iteration 1 is not applied alone").containsExactly("1|a-v0");

        // B's task comes: its snapshot, marker 0, its change, marker 1. Iteration 1 applies to both.
        Task two = task("1", FULL_AB, a.topic, b.topic);
        two.deliver(b.read(b.row(1, "b-v0", null)), b.marker(0, 1, false));
        two.deliver(b.update(b.row(1, "b-v0", null), b.row(1, "b-v1", null)), b.marker(1, 1, false));
        two.pollUntil(() -> "APPLIED".equals(iterationStatus(1)));
        assertThat(db.rowsAsText("SELECT iteration, tables_completed, status FROM tidemark.iteration ORDER BY 1"))
                .containsExactly("0|2|APPLIED", "1|2|APPLIED");
        assertThat(rows("a")).containsExactly("1|a-v1");
        assertThat(rows("b")).containsExactly("1|b-v1");
    }

    /** Once iteration 0 is complete, a table that appears later joins at its first marker and blocks nothing before. */
    @Test
    void aTableThatAppearsAfterIterationZeroJoinsAtItsFirstMarker() {
        TestTable a = new TestTable("A", 0, new AtomicLong());
        TestTable b = new TestTable("B", 0, new AtomicLong());
        Task one = task("0", FULL_AB, a.topic);
        one.deliver(a.read(a.row(1, "a-v0", null)), a.marker(0, 1, false));
        one.pollUntil(() -> "APPLIED".equals(iterationStatus(0)));
        // B is added to the topics list now (a task starts with it); its first marker is still to come.
        Task two = task("1", FULL_AB, a.topic, b.topic);
        two.deliver(b.read(b.row(1, "b-v0", null)));
        one.deliver(a.update(a.row(1, "a-v0", null), a.row(1, "a-v1", null)), a.marker(1, 1, false));
        one.pollUntil(() -> "APPLIED".equals(iterationStatus(1)));
        assertThat(rows("a")).as("iteration 1 does not wait for B").containsExactly("1|a-v1");
    }

    @Test
    void aFullTableWaitsForEveryPartitionItsTopicHas() {
        TestTable p0 = new TestTable("A", 0, new AtomicLong());
        TestTable p1 = new TestTable("A", 1, new AtomicLong());
        Task one = task("0", FULL_AB);
        one.deliver(p0.marker(0, 2, false), p1.marker(0, 2, false));
        one.deliver(p0.insert(p0.row(1, "x", null)), p0.marker(1, 2, false));
        one.poll();
        assertThat(rows("a")).as("partition 1 has not reached marker 1").isEmpty();
        one.deliver(p1.insert(p1.row(2, "y", null)), p1.marker(1, 2, false));
        one.pollUntil(() -> rows("a").size() == 2);
    }

    @Test
    void aPartialTableMovesOnItsOwnBesideAWaitingFullOne() {
        TestTable a = new TestTable("A", 0, new AtomicLong());
        TestTable b = new TestTable("B", 0, new AtomicLong());
        TestTable p = new TestTable("P", 0, new AtomicLong());
        Task one = task("0", FULL_AB);
        one.deliver(a.marker(0, 1, false), b.marker(0, 1, false), p.marker(0, 1, false));
        one.deliver(a.insert(a.row(1, "a", null)), a.marker(1, 1, false), p.insert(p.row(1, "p", null)),
                p.marker(1, 1, false), p.insert(p.row(2, "p2", null)));
        one.poll();
        assertThat(rows("p")).as("PARTIAL applies as it comes").containsExactly("1|p", "2|p2");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'hr' AND tablename = 'a'")
                + rows("a").size()).as("A waits for B").isLessThanOrEqualTo(1);
        assertThat(db.rowsAsText("SELECT mode, upserted, completed_at IS NOT NULL FROM tidemark.iteration_table"
                + " WHERE source_table = 'HR.P' AND iteration = 1")).containsExactly("PARTIAL|1|t");
        assertThat(db.scalar("SELECT upserted FROM tidemark.iteration_table WHERE source_table = 'HR.P' AND iteration = 2"))
                .as("the change after marker 1 counts for iteration 2").isEqualTo(1L);
    }

    @Test
    void aBatchWithOnePartitionAMarkerAheadAppliesEachPartitionsChangesInOrder() {
        TestTable p0 = new TestTable("P", 0, new AtomicLong());
        TestTable p1 = new TestTable("P", 1, new AtomicLong());
        Task one = task("0", Map.of());
        one.deliver(p0.marker(0, 2, false), p1.marker(0, 2, false));
        // Partition 1 passes marker 1 first; then partition 0 inserts A, passes marker 1 and deletes A.
        SinkRecord p1Marker = p1.marker(1, 2, false);
        SinkRecord x = p1.insert(p1.row(10, "x", null));
        SinkRecord insertA = p0.insert(p0.row(1, "a", null));
        SinkRecord p0Marker = p0.marker(1, 2, false);
        SinkRecord deleteA = p0.delete(p0.row(1, "a", null));
        one.deliver(p1Marker, x, insertA, p0Marker, deleteA);
        assertThat(rows("p")).as("A was inserted in iteration 1 and deleted in iteration 2").containsExactly("10|x");
        assertThat(db.rowsAsText("SELECT iteration, upserted, deleted FROM tidemark.iteration_table ORDER BY 1"))
                .containsExactly("0|0|0", "1|1|0", "2|1|1");
    }

    @Test
    void everyIterationAFlushPassesIsCompletedNotOnlyTheLast() {
        TestTable p = new TestTable("P", 0, new AtomicLong());
        Task one = task("0", Map.of());
        SinkRecord marker0 = p.marker(0, 1, false);
        SinkRecord row = p.insert(p.row(1, "a", null));
        SinkRecord marker1 = p.marker(1, 1, false);
        SinkRecord marker2 = p.marker(2, 1, false);
        one.deliver(marker0, row, marker1, marker2);
        one.pollUntil(() -> db.count("SELECT count(*) FROM tidemark.iteration WHERE status = 'APPLIED'") == 3);
        assertThat(db.rowsAsText("SELECT iteration, tables_completed, upserted FROM tidemark.iteration ORDER BY 1"))
                .containsExactly("0|1|0", "1|1|1", "2|1|0");
    }

    @Test
    void desiredStatesAreAcceptedOrRefusedByTheActionTable() {
        TestTable a = new TestTable("A", 0, new AtomicLong());
        TestTable b = new TestTable("B", 0, new AtomicLong());
        TopicPartition aTp = new TopicPartition(a.topic, 0);
        Task one = task("0", FULL_AB);
        one.deliver(a.marker(0, 1, false), b.marker(0, 1, false));

        // pause while RUNNING: accepted, the partition pauses.
        db.execute("UPDATE tidemark.table_state SET desired_state = 'PAUSED' WHERE source_table = 'HR.A'");
        one.pollUntil(() -> "PAUSED".equals(status("HR.A")));
        assertThat(one.consumer.paused).contains(aTp);
        // start: accepted, it resumes.
        db.execute("UPDATE tidemark.table_state SET desired_state = 'RUNNING' WHERE source_table = 'HR.A'");
        one.pollUntil(() -> "RUNNING".equals(status("HR.A")));
        assertThat(one.consumer.paused).doesNotContain(aTp);

        // A waits at marker 1 (B is behind): pause is refused, with the reason.
        one.deliver(a.insert(a.row(1, "x", null)), a.marker(1, 1, false));
        one.pollUntil(() -> "WAITING".equals(status("HR.A")));
        db.execute("UPDATE tidemark.table_state SET desired_state = 'PAUSED' WHERE source_table = 'HR.A'");
        one.pollUntil(() -> db.scalar("SELECT refusal FROM tidemark.table_state WHERE source_table = 'HR.A'") != null);
        assertThat(db.rowsAsText("SELECT desired_state, accepted_state, refusal FROM tidemark.table_state"
                + " WHERE source_table = 'HR.A'")).containsExactly(
                "RUNNING|RUNNING|pause refused: HR.A is WAITING (allowed: stop)");
        assertThat(db.rowsAsText("SELECT action, outcome, reason FROM tidemark.action_log WHERE source_table = 'HR.A'"
                + " AND outcome = 'refused'")).containsExactly("PAUSED|refused|pause refused: HR.A is WAITING (allowed: stop)");

        // A mode change while it runs is refused; stopped, it is taken.
        db.execute("UPDATE tidemark.table_state SET desired_mode = 'PARTIAL' WHERE source_table = 'HR.B'");
        one.pollUntil(() -> db.scalar("SELECT refusal FROM tidemark.table_state WHERE source_table = 'HR.B'") != null);
        assertThat((String) db.scalar("SELECT refusal FROM tidemark.table_state WHERE source_table = 'HR.B'"))
                .isEqualTo("mode change to PARTIAL refused: HR.B is RUNNING (a mode changes only while the table is "
                        + "STOPPED: stop it, change the mode, start it)");
        db.execute("UPDATE tidemark.table_state SET desired_state = 'STOPPED' WHERE source_table = 'HR.B'");
        one.pollUntil(() -> "STOPPED".equals(status("HR.B")));
        // B stopped leaves the FULL iterations: A's iteration 1 is applied without it.
        one.pollUntil(() -> rows("a").size() == 1);
        db.execute("UPDATE tidemark.table_state SET desired_mode = 'PARTIAL' WHERE source_table = 'HR.B'");
        one.pollUntil(() -> "PARTIAL".equals(db.scalar("SELECT mode FROM tidemark.table_state WHERE source_table = 'HR.B'")));
        // A stopped table cannot be stopped again.
        db.execute("UPDATE tidemark.table_state SET desired_state = 'STOPPED' WHERE source_table = 'HR.B'");
        db.execute("UPDATE tidemark.table_state SET desired_state = 'PAUSED' WHERE source_table = 'HR.B'");
        one.pollUntil(() -> db.scalar("SELECT refusal FROM tidemark.table_state WHERE source_table = 'HR.B'") != null);
        assertThat((String) db.scalar("SELECT refusal FROM tidemark.table_state WHERE source_table = 'HR.B'"))
                .isEqualTo("pause refused: HR.B is STOPPED (allowed: start)");
    }

    @Test
    void anAbortedFullTableDropsItsStagedIterationAndGoesBackToItsStart() {
        TestTable a = new TestTable("A", 0, new AtomicLong());
        TestTable b = new TestTable("B", 0, new AtomicLong());
        TopicPartition aTp = new TopicPartition(a.topic, 0);
        Task one = task("0", FULL_AB);
        SinkRecord snapshot = a.read(a.row(1, "a", null));
        SinkRecord aMarker0 = a.marker(0, 1, false);
        one.deliver(snapshot, aMarker0, b.marker(0, 1, false));
        one.deliver(a.update(a.row(1, "a", null), a.row(1, "staged", null)));
        String stage = (String) db.scalar("SELECT stage_name FROM tidemark.stage_table WHERE source_table = 'HR.A'");
        assertThat(db.count("SELECT count(*) FROM tidemark." + stage)).isEqualTo(1);

        SinkRecord bad = a.record(a.events.keyOf(a.row(2, "x", null)), Schema.STRING_SCHEMA, "not a struct");
        one.deliver(bad);
        one.poll();
        assertThat(status("HR.A")).isEqualTo("ERROR_ABORTED");
        assertThat(db.count("SELECT count(*) FROM tidemark." + stage)).as("its staged iteration is dropped").isZero();
        assertThat(db.scalar("SELECT next_offset FROM tidemark.kafka_offsets WHERE topic = ?", a.topic))
                .as("back to the start of iteration 1").isEqualTo(aMarker0.kafkaOffset() + 1);
        assertThat(one.consumer.rewinds).containsEntry(aTp, aMarker0.kafkaOffset() + 1);

        // B goes on without it: its iteration 1 is applied alone.
        one.deliver(b.insert(b.row(5, "b", null)), b.marker(1, 1, false));
        one.pollUntil(() -> rows("b").size() == 1);

        // Started again, A is delivered again from the iteration's start.
        int rewindsBefore = one.consumer.rewindCalls.size();
        db.execute("UPDATE tidemark.table_state SET desired_state = 'RUNNING' WHERE source_table = 'HR.A'");
        one.pollUntil(() -> one.consumer.rewindCalls.size() > rewindsBefore && !one.consumer.paused.contains(aTp));
        assertThat(one.consumer.rewinds).containsEntry(aTp, aMarker0.kafkaOffset() + 1);
    }

    @Test
    void aFinalMarkerStopsTheTableOnceItsIterationIsComplete() {
        TestTable p = new TestTable("P", 0, new AtomicLong());
        TopicPartition tp = new TopicPartition(p.topic, 0);
        Task one = task("0", Map.of());
        one.deliver(p.insert(p.row(1, "a", null)), p.marker(0, 1, false));
        db.execute("UPDATE tidemark.project SET desired_state = 'SOFT_STOP'");
        one.pollUntil(() -> "FINALIZING".equals(status("HR.P")));
        one.deliver(p.insert(p.row(2, "b", null)), p.marker(1, 1, true), p.insert(p.row(3, "after the end", null)));
        one.pollUntil(() -> "STOPPED".equals(status("HR.P")));
        assertThat(rows("p")).containsExactly("1|a", "2|b");
        assertThat(one.consumer.paused).contains(tp);
        assertThat(db.rowsAsText("SELECT accepted_state, iteration FROM tidemark.table_state")).containsExactly("STOPPED|1");
        assertThat(db.scalar("SELECT final FROM tidemark.iteration WHERE iteration = 1")).isEqualTo(true);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
