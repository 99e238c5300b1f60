package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.sink.config.ConsistencyMode;

/**
 * The one transaction that applies a FULL iteration runs on a thread of its own, bounded by its
 * own timeout, and a table whose staged rows the target refuses leaves the iteration with the
 * reason while the others are applied: Connect's task thread never waits for it, and one bad table
 * never holds every FULL table.
 */
class FullApplyTest {

    private static final Map<String, ConsistencyMode> FULL_AB = Map.of("HR.A", ConsistencyMode.FULL,
            "HR.B", ConsistencyMode.FULL);

    @RegisterExtension
    static final SinkTestDatabase sink = new SinkTestDatabase("full_apply");

    private final TestTask.Log log = new TestTask.Log();
    private final TestTable a = new TestTable("A", 0, new AtomicLong());
    private final TestTable b = new TestTable("B", 0, new AtomicLong());
    private final TestTable p = new TestTable("P", 0, new AtomicLong());

    private TestTask task(TestWriters.Builder builder) {
        TestTask t = new TestTask(log, builder.connector("apply-sink").modeOverrides(FULL_AB).lifecyclePollIntervalMs(50)
                .topics(a.topic, b.topic, p.topic));
        sink.track(t);
        return t;
    }

    /** Iteration 0 of A, B and P applied; A has a change staged for iteration 1 and passed marker 1. */
    private TestTask iterationOneStagedInA(TestWriters.Builder builder) {
        log.append(a.read(a.row(1, "a", null)), a.marker(0, 1, false), b.read(b.row(1, "b", null)),
                b.marker(0, 1, false), p.read(p.row(1, "p", null)), p.marker(0, 1, false));
        TestTask task = task(builder);
        task.pumpUntil("iteration 0 applied", () -> sink.applied(0));
        log.append(a.update(a.row(1, "a", null), a.row(1, "a-it1", null)), a.marker(1, 1, false));
        task.pumpUntil("A waits at marker 1", () -> "WAITING".equals(sink.db().scalar(
                "SELECT status FROM tidemark.table_state WHERE source_table = 'HR.A'")));
        return task;
    }

    private static void awaitApplyBlockedOnA() {
        Awaitility.await("the iteration's apply waits for the lock on hr.a").atMost(Duration.ofSeconds(15))
                .until(() -> sink.db().count("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'hr.a'::regclass") > 0);
    }

    @Test
    void connectsTaskThreadGoesOnWhileAFullIterationIsApplied() throws Exception {
        TestTask task = iterationOneStagedInA(TestWriters.against(sink.db()).lockTimeoutMs(60_000));
        AtomicBoolean over = new AtomicBoolean();
        CompletableFuture<Void> pumping;
        try (Connection holder = sink.db().connect(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE hr.a IN ACCESS EXCLUSIVE MODE"); // the apply of iteration 1 will wait here
            pumping = CompletableFuture.runAsync(() -> {
                while (!over.get()) {
                    task.pump();
                    TestTask.sleep(40);
                }
            });
            log.append(b.marker(1, 1, false), p.marker(1, 1, false));
            awaitApplyBlockedOnA();
            log.append(p.insert(p.row(2, "p2", null)));
            Awaitility.await("a PARTIAL change applied while the FULL iteration waits").atMost(Duration.ofSeconds(10))
                    .until(() -> sink.rows("p").size() == 2);
            holder.rollback();
        } finally {
            over.set(true);
        }
        pumping.get(90, TimeUnit.SECONDS);
        task.pumpUntil("iteration 1 applied once the lock is free", () -> sink.applied(1));
        assertThat(sink.rows("a")).containsExactly("1|a-it1");
    }

    @Test
    void anIterationApplyThatOutlastsItsTimeoutSaysSoAndIsTriedAgain() throws Exception {
        TestTask task = iterationOneStagedInA(TestWriters.against(sink.db()).lockTimeoutMs(60_000).iterationApplyTimeoutMs(1_000));
        AtomicBoolean over = new AtomicBoolean();
        CompletableFuture<Void> pumping;
        try (Connection holder = sink.db().connect(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("LOCK TABLE hr.a IN ACCESS EXCLUSIVE MODE");
            pumping = CompletableFuture.runAsync(() -> {
                while (!over.get()) {
                    task.pump();
                    TestTask.sleep(40);
                }
            });
            log.append(b.marker(1, 1, false), p.marker(1, 1, false));
            Awaitility.await("the iteration says its apply timed out").atMost(Duration.ofSeconds(10))
                    .until(() -> String.valueOf(sink.db().scalar("SELECT waiting_for FROM tidemark.iteration WHERE iteration = 1"))
                            .contains("iteration.apply.timeout.ms"));
            holder.rollback();
        } finally {
            over.set(true);
        }
        pumping.get(90, TimeUnit.SECONDS);
        task.pumpUntil("iteration 1 applied at a later attempt", () -> sink.applied(1));
        assertThat(sink.rows("a")).containsExactly("1|a-it1");
    }

    @Test
    void aTableWhoseStagedRowTheTargetRefusesLeavesTheIterationAndTheOthersGoOn() {
        log.append(a.read(a.row(1, "a", null)), a.marker(0, 1, false), b.read(b.row(1, "b", null)),
                b.marker(0, 1, false), p.read(p.row(1, "p", null)), p.marker(0, 1, false));
        TestTask task = task(TestWriters.against(sink.db()));
        task.pumpUntil("iteration 0 applied", () -> sink.applied(0));
        sink.db().execute("ALTER TABLE hr.a ADD CONSTRAINT no_refused CHECK (name <> 'refused')");
        log.append(a.update(a.row(1, "a", null), a.row(1, "refused", null)), a.marker(1, 1, false),
                b.update(b.row(1, "b", null), b.row(1, "b-it1", null)), b.marker(1, 1, false), p.marker(1, 1, false));
        task.pumpUntil("B's iteration 1 applied", () -> sink.rows("b").equals(List.of("1|b-it1")));
        task.pumpUntil("A stopped with the reason", () -> "ERROR_ABORTED".equals(sink.db().scalar(
                "SELECT status FROM tidemark.table_state WHERE source_table = 'HR.A'")));
        assertThat((String) sink.db().scalar("SELECT reason FROM tidemark.table_state WHERE source_table = 'HR.A'"))
                .contains("no_refused").contains("iteration 1");
        assertThat(sink.rows("a")).as("A's target as it was").containsExactly("1|a");
        task.pumpUntil("iteration 1 complete without A", () -> sink.applied(1));
    }

    @Test
    void underTheFlagPolicyTheRowsTheTargetRefusesAreSetAsideAndTheRestIsApplied() {
        log.append(a.read(a.row(1, "a", null)), a.marker(0, 1, false), b.read(b.row(1, "b", null)),
                b.marker(0, 1, false), p.read(p.row(1, "p", null)), p.marker(0, 1, false));
        TestTask task = task(TestWriters.against(sink.db()).overrides(Map.of("HR.A", io.tidemark.sink.config.ErrorPolicy.FLAG)));
        task.pumpUntil("iteration 0 applied", () -> sink.applied(0));
        sink.db().execute("ALTER TABLE hr.a ADD CONSTRAINT no_refused CHECK (name <> 'refused')");
        log.append(a.update(a.row(1, "a", null), a.row(1, "refused", null)), a.insert(a.row(2, "a2", null)),
                a.insert(a.row(3, "a3", null)), a.marker(1, 1, false), b.update(b.row(1, "b", null), b.row(1, "b-it1", null)),
                b.marker(1, 1, false), p.marker(1, 1, false));
        task.pumpUntil("iteration 1 applied", () -> sink.applied(1));
        assertThat(sink.rows("a")).as("A's rows the target takes").containsExactly("1|a", "2|a2", "3|a3");
        assertThat(sink.rows("b")).containsExactly("1|b-it1");
        assertThat(sink.db().rowsAsText("SELECT source_table, kafka_partition, kafka_offset, record_key FROM tidemark.error_rows"))
                .containsExactly("HR.A|0|-1|{\"id\": 1}");
        assertThat((String) sink.db().scalar("SELECT reason FROM tidemark.error_rows")).contains("no_refused");
        assertThat(sink.db().scalar("SELECT status FROM tidemark.table_state WHERE source_table = 'HR.A'")).isNotEqualTo(
                "ERROR_ABORTED");
    }
}
