package io.tidemark.sink.writer;

import static io.tidemark.sink.writer.UnavailableValuesTest.KEY;
import static io.tidemark.sink.writer.UnavailableValuesTest.ROW;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The harness of the key-change tests: a document table in two partitions of one topic, a fresh
 * database, and up to two tasks ({@link TestTask}) sharing one log, stopped after each test.
 */
abstract class TwoTaskMoves {

    protected PostgresTestDatabase db;

    protected final TestTask.Log log = new TestTask.Log();
    protected final TestTable p0 = new TestTable("DOC", 0, new AtomicLong(), KEY, ROW);
    protected final TestTable p1 = new TestTable("DOC", 1, new AtomicLong(), KEY, ROW);
    protected TestTask a;
    protected TestTask b;

    @BeforeEach
    void createDatabase() {
        db = PostgresTestDatabase.create("moves");
    }

    @AfterEach
    void stopAndDropDatabase() {
        for (TestTask t : new TestTask[] {a, b}) {
            if (t != null) {
                t.stop();
            }
        }
        db.close();
    }

    /** A task owning one partition of the table, FULL. */
    protected TestTask task(String id, int partition) {
        return new TestTask(log, TestWriters.against(db).connector("full-moves").task(id).policy(ErrorPolicy.FAIL)
                .modeOverrides(Map.of("HR.DOC", ConsistencyMode.FULL)).lifecyclePollIntervalMs(50).topics(p0.topic),
                Set.of(new TopicPartition(p0.topic, partition)));
    }

    /** A task owning {@code partitions} of the table, FULL or PARTIAL. */
    protected TestTask task(boolean full, String id, Set<TopicPartition> partitions) {
        TestWriters.Builder builder = TestWriters.against(db).connector("changed-moves").task(id)
                .policy(ErrorPolicy.FAIL).lifecyclePollIntervalMs(50).topics(p0.topic);
        return new TestTask(log, full ? builder.modeOverrides(Map.of("HR.DOC", ConsistencyMode.FULL)) : builder,
                partitions);
    }

    /** Both tasks (or the one there is) for 20 s at most, until {@code done}. */
    protected void pumpUntil(java.util.function.BooleanSupplier done) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            a.pump();
            if (b != null) {
                b.pump();
            }
            TestTask.sleep(40);
        }
    }

    protected boolean applied(long iteration) {
        return "APPLIED".equals(db.scalar("SELECT status FROM tidemark.iteration WHERE iteration = ?", iteration));
    }

    /** The target's rows (none while the table is not there yet); the old keys' rows must be gone too. */
    protected List<String> rows() {
        if (db.scalar("SELECT to_regclass('hr.doc')") == null) {
            return List.of();
        }
        return db.rowsAsText("SELECT id, name, note, convert_from(data, 'UTF8') FROM hr.doc ORDER BY id");
    }

    protected void assertNothingStoppedOrSetAside() {
        org.assertj.core.api.Assertions.assertThat(db.rowsAsText("SELECT source_table, status, reason FROM "
                + "tidemark.table_state")).as("the table's status").noneMatch(s -> s.contains("ERROR"));
        org.assertj.core.api.Assertions.assertThat(db.count("SELECT count(*) FROM tidemark.error_rows"))
                .as("rows set aside").isZero();
    }

    protected Struct full(long id) {
        return KeyMoves.full(p0, id);
    }
}
