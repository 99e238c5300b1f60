package io.tidemark.sink.writer;

import static io.tidemark.sink.writer.UnavailableValuesTest.KEY;
import static io.tidemark.sink.writer.UnavailableValuesTest.PLACEHOLDER;
import static io.tidemark.sink.writer.UnavailableValuesTest.PLACEHOLDER_BYTES;
import static io.tidemark.sink.writer.UnavailableValuesTest.ROW;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Primary-key changes of rows with unavailable values in a FULL table whose old and new keys live
 * in partitions of two tasks: the old key's delete may be staged before or after the new key's
 * create, and the old row may be in the target (an earlier iteration) or only in the stage (the
 * same iteration). Whatever the order, the new key gets the old row's values.
 */
class FullKeyChangesAcrossTasksTest {

    private PostgresTestDatabase db;

    private final TestTask.Log log = new TestTask.Log();
    private final TestTable p0 = new TestTable("DOC", 0, new AtomicLong(), KEY, ROW);
    private final TestTable p1 = new TestTable("DOC", 1, new AtomicLong(), KEY, ROW);
    private TestTask a;
    private TestTask b;

    @BeforeEach
    void createDatabase() {
        db = PostgresTestDatabase.create("full_moves");
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

    /**
     * @param oldRowInTarget the old row was inserted in iteration 0 (applied before the move) rather than
     *                       in the move's own iteration
     * @param deleteFirst    the old key's task stages the delete before the new key's task stages the create
     * @param updatedFirst   the old row was updated, its LOBs untouched (placeholders), before it moved
     */
    @ParameterizedTest(name = "old row in the target: {0}, delete staged first: {1}, updated before the move: {2}")
    @CsvSource({"true,true,false", "true,false,false", "false,true,false", "false,false,false",
            "true,true,true", "true,false,true", "false,true,true", "false,false,true"})
    void theNewKeyGetsTheOldRowsValues(boolean oldRowInTarget, boolean deleteFirst, boolean updatedFirst) {
        if (oldRowInTarget) {
            log.append(p0.insert(full(1)), p0.marker(0, 2, false), p1.marker(0, 2, false));
        } else {
            log.append(p0.marker(0, 2, false), p1.marker(0, 2, false), p0.insert(full(1)));
        }
        if (updatedFirst) {
            log.append(p0.update(full(1), p0.events.row("ID", 1L, "NAME", "moved 1", "NOTE", PLACEHOLDER,
                    "DATA", PLACEHOLDER_BYTES)));
        }
        SinkRecord[] move = KeyMoves.move(p0, 1, p1, 2);
        log.append(move);
        log.append(p0.marker(1, 2, false), p1.marker(1, 2, false));
        a = task("0", 0);
        b = task("1", 1);
        TestTask first = deleteFirst ? a : b;
        TestTask second = deleteFirst ? b : a;
        first.pumpFor(1_500);
        long deadline = System.currentTimeMillis() + 20_000;
        while (!applied(1) && System.currentTimeMillis() < deadline) {
            second.pump();
            first.pump();
            TestTask.sleep(40);
        }
        assertThat(db.rowsAsText("SELECT source_table, status, reason FROM tidemark.table_state"))
                .as("the table's status").noneMatch(s -> s.contains("ERROR"));
        assertThat(db.count("SELECT count(*) FROM tidemark.error_rows")).as("rows set aside").isZero();
        assertThat(applied(1)).as("iteration 1 applied within 20 s").isTrue();
        assertThat(rows()).containsExactly("2|moved 1|text 1|bytes 1");
    }

    /**
     * One task owns both partitions and gets the old row's insert and its move in one batch (after a
     * restart it replays them together): the old key's insert and delete collapse in the segment, and
     * the new key's create must still get the values the insert carried. Found by {@code PipelineSoakIT}
     * with key changes, right after the sink's restart.
     */
    @ParameterizedTest(name = "old row inserted in the move's iteration: {0}")
    @CsvSource({"true", "false"})
    void oneTaskWithTheInsertAndTheMoveInOneBatch(boolean sameIteration) {
        if (sameIteration) {
            log.append(p0.marker(0, 2, false), p1.marker(0, 2, false), p0.insert(full(1)));
        } else {
            log.append(p0.insert(full(1)), p0.marker(0, 2, false), p1.marker(0, 2, false));
        }
        log.append(KeyMoves.move(p0, 1, p1, 2));
        log.append(p0.marker(1, 2, false), p1.marker(1, 2, false));
        a = new TestTask(log, TestWriters.against(db).connector("full-moves").task("0").policy(ErrorPolicy.FAIL)
                .modeOverrides(Map.of("HR.DOC", ConsistencyMode.FULL)).lifecyclePollIntervalMs(50).topics(p0.topic),
                Set.of(new TopicPartition(p0.topic, 0), new TopicPartition(p0.topic, 1)));
        long deadline = System.currentTimeMillis() + 20_000;
        while (!applied(1) && System.currentTimeMillis() < deadline) {
            a.pump();
            TestTask.sleep(40);
        }
        assertThat(db.rowsAsText("SELECT source_table, status, reason FROM tidemark.table_state"))
                .as("the table's status").noneMatch(s -> s.contains("ERROR"));
        assertThat(applied(1)).as("iteration 1 applied within 20 s").isTrue();
        assertThat(rows()).containsExactly("2|moved 1|text 1|bytes 1");
    }

    private TestTask task(String id, int partition) {
        return new TestTask(log, TestWriters.against(db).connector("full-moves").task(id).policy(ErrorPolicy.FAIL)
                .modeOverrides(Map.of("HR.DOC", ConsistencyMode.FULL)).lifecyclePollIntervalMs(50).topics(p0.topic),
                Set.of(new TopicPartition(p0.topic, partition)));
    }

    private boolean applied(long iteration) {
        return "APPLIED".equals(db.scalar("SELECT status FROM tidemark.iteration WHERE iteration = ?", iteration));
    }

    private List<String> rows() {
        if (db.scalar("SELECT to_regclass('hr.doc')") == null) {
            return List.of();
        }
        return db.rowsAsText("SELECT id, name, note, convert_from(data, 'UTF8') FROM hr.doc ORDER BY id");
    }

    private Struct full(long id) {
        return KeyMoves.full(p0, id);
    }
}
