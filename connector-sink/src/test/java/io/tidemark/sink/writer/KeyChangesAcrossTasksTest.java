package io.tidemark.sink.writer;

import static io.tidemark.sink.writer.UnavailableValuesTest.PLACEHOLDER;
import static io.tidemark.sink.writer.UnavailableValuesTest.PLACEHOLDER_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.config.ErrorPolicy;

/**
 * Primary-key changes of rows with unavailable values (TOASTed, untouched LOBs) whose old and
 * new keys live in partitions of two tasks: Debezium writes the old key's delete into the old
 * key's partition and the new key's create, with placeholders, into the new key's. Found by
 * {@code PipelineSoakIT}: each task's batch holds the old row the other task's move waits for.
 */
class KeyChangesAcrossTasksTest extends TwoTaskMoves {

    /**
     * Source order: insert 1, insert 3, move 1 → 2, move 3 → 4. Partition 0 (task A) carries insert
     * 1, the delete of 1 and the create of 4; partition 1 (task B) insert 3, the delete of 3 and the
     * create of 2. Each task's move waits for the old row the other task's partition carries before
     * its own waiting record: only the waiting partition may be held back there, at that record, or
     * the two tasks wait for each other for good (as they did when the whole flush was retried).
     */
    @Test
    void movesWhoseOldRowsAreInTheOtherTasksBatchAreBothApplied() {
        log.append(p0.insert(full(1)), p1.insert(full(3)));
        log.append(KeyMoves.move(p0, 1, p1, 2));
        log.append(KeyMoves.move(p1, 3, p0, 4));
        a = new TestTask(log, TestWriters.against(db).connector("moves").task("0").policy(ErrorPolicy.FAIL)
                .topics(p0.topic), Set.of(new TopicPartition(p0.topic, 0)));
        b = new TestTask(log, TestWriters.against(db).connector("moves").task("1").policy(ErrorPolicy.FAIL)
                .topics(p0.topic), Set.of(new TopicPartition(p1.topic, 1)));

        List<String> expected = List.of("2|moved 1|text 1|bytes 1", "4|moved 3|text 3|bytes 3");
        long deadline = System.currentTimeMillis() + 20_000;
        while (!rows().equals(expected) && System.currentTimeMillis() < deadline) {
            a.pump();
            b.pump();
            TestTask.sleep(40);
        }
        assertThat(rows()).as("both moves applied with their values within 20 s").containsExactlyElementsOf(expected);
        assertThat(db.count("SELECT count(*) FROM tidemark.error_rows")).isZero();
    }

    /**
     * The new key's create (filled from the old row, which the target still holds) is in the other
     * task's flush, not committed yet, when this task moves the old row to that key: the move waits
     * for that transaction, and then must leave the new key's row as it is and delete the old one,
     * not stop the table on a duplicate key (23505). Found by {@code PipelineSoakIT}: a batch that
     * held only the move had no other rows to bisect it from, and stopped the table at once.
     */
    @Test
    void aMoveToANewKeyTheOtherTaskIsInsertingLeavesThatRowAndDeletesTheOldOne() throws Exception {
        log.append(p0.insert(full(1)));
        a = new TestTask(log, TestWriters.against(db).connector("moves").task("0").policy(ErrorPolicy.FAIL)
                .topics(p0.topic), Set.of(new TopicPartition(p0.topic, 0)));
        a.pumpUntil("row 1 applied", () -> rows().equals(List.of("1|moved 1|text 1|bytes 1")));
        SinkRecord[] move = KeyMoves.move(p0, 1, p1, 2);
        try (Connection otherTask = db.connect(); Statement st = otherTask.createStatement()) {
            otherTask.setAutoCommit(false);
            st.execute("INSERT INTO hr.doc SELECT 2, name, note, data FROM hr.doc WHERE id = 1");
            log.append(move[0], move[1]); // the delete of 1 and its tombstone; the create of 2 is the other task's
            CompletableFuture<Void> moving = CompletableFuture.runAsync(a::pump);
            long deadline = System.currentTimeMillis() + 10_000;
            while (db.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock'") == 0 && System.currentTimeMillis() < deadline) {
                TestTask.sleep(20);
            }
            assertThat(moving).as("the move waits for the other task's insert of key 2").isNotDone();
            otherTask.commit();
            moving.get(30, TimeUnit.SECONDS);
        }
        a.pumpFor(300);
        assertThat(db.rowsAsText("SELECT status, reason FROM tidemark.table_state")).as("the table's status")
                .containsExactly("RUNNING|null");
        assertThat(rows()).containsExactly("2|moved 1|text 1|bytes 1");
    }

    // FULL: the old key's delete may be staged before or after the new key's create, and the old row may
    // be in the target (an earlier iteration) or only in the stage (the same iteration).

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
        insertTheFirstRow(oldRowInTarget);
        if (updatedFirst) {
            log.append(p0.update(full(1), p0.events.row("ID", 1L, "NAME", "moved 1", "NOTE", PLACEHOLDER,
                    "DATA", PLACEHOLDER_BYTES)));
        }
        SinkRecord[] move = KeyMoves.move(p0, 1, p1, 2);
        log.append(move);
        log.append(p0.marker(1, 2, false), p1.marker(1, 2, false));
        assertIterationOneAppliedWith(deleteFirst, "2|moved 1|text 1|bytes 1");
    }

    /**
     * A chain of key changes in one iteration, 1 → 3 → 2 (the soak's workload moves any row, one a
     * move made too): the create of 3, which must take 1's values, and the delete of 3, which moves
     * the row on to 2, come in one batch of the task owning 3's partition and collapse there; the
     * create of 2 must still get 1's values. Found by {@code PipelineSoakIT} with key changes and
     * Connect's default assignor: the FULL table stopped, "neither an earlier change nor the target
     * has the row".
     *
     * @param oldRowInTarget the first row was inserted in iteration 0 rather than in the moves' own
     * @param middleFirst    the task owning the middle key's partition runs first
     */
    @ParameterizedTest(name = "first row in the target: {0}, the middle key's task first: {1}")
    @CsvSource({"true,true", "true,false", "false,true", "false,false"})
    void aChainOfMovesInOneIterationKeepsTheFirstRowsValues(boolean oldRowInTarget, boolean middleFirst) {
        insertTheFirstRow(oldRowInTarget);
        log.append(KeyMoves.move(p0, 1, p1, 3));
        log.append(KeyMoves.move(p1, 3, p0, 2));
        log.append(p0.marker(1, 2, false), p1.marker(1, 2, false));
        assertIterationOneAppliedWith(!middleFirst, "2|moved 3|text 1|bytes 1");
    }

    /**
     * A move nothing can fill names what the flush saw of its old key, so that the status alone tells
     * the sequence that led there: here the old key's delete is in the same batch, and its row was never
     * anywhere (records no source writes: a move of a row never inserted).
     */
    @Test
    void aMoveNothingCanFillNamesWhatItSawOfTheOldKey() {
        log.append(KeyMoves.move(p0, 1, p1, 2));
        a = new TestTask(log, TestWriters.against(db).connector("moves").task("0").policy(ErrorPolicy.FAIL)
                .topics(p0.topic), Set.of(new TopicPartition(p0.topic, 0), new TopicPartition(p1.topic, 1)));
        a.pumpUntil("the table stopped", () -> db.count(
                "SELECT count(*) FROM tidemark.table_state WHERE status = 'ERROR_ABORTED'") == 1);
        assertThat(db.rowsAsText("SELECT reason FROM tidemark.table_state")).singleElement().asString()
                .contains("(moved from Struct{ID=1}) did not carry the value of NOTE, DATA")
                .contains("[the old key: 1 row(s) in this batch (1 a delete), no row in the target]");
    }

    /** The same chain, 1 → 3 → 2, for a PARTIAL table: the target's row moves twice. */
    @ParameterizedTest(name = "the middle key's task first: {0}")
    @CsvSource({"true", "false"})
    void aChainOfMovesKeepsTheFirstRowsValuesInPartialMode(boolean middleFirst) {
        log.append(p0.insert(full(1)));
        log.append(KeyMoves.move(p0, 1, p1, 3));
        log.append(KeyMoves.move(p1, 3, p0, 2));
        a = new TestTask(log, TestWriters.against(db).connector("moves").task("0").policy(ErrorPolicy.FAIL)
                .topics(p0.topic), Set.of(new TopicPartition(p0.topic, 0)));
        b = new TestTask(log, TestWriters.against(db).connector("moves").task("1").policy(ErrorPolicy.FAIL)
                .topics(p0.topic), Set.of(new TopicPartition(p1.topic, 1)));
        List<String> expected = List.of("2|moved 3|text 1|bytes 1");
        pumpBoth(!middleFirst, () -> rows().equals(expected));
        assertNothingStoppedOrSetAside();
        assertThat(rows()).containsExactlyElementsOf(expected);
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

    /**
     * One task owns both partitions, and Connect hands it the new key's partition first: the new key's
     * create (placeholders) comes into the batch before the old row's insert and its move, which
     * collapse to the delete carrying the old row's image. The create must still get those values.
     * Found by {@code PipelineSoakIT} with Connect's cooperative assignor: the FULL table stopped,
     * "neither an earlier change nor the target has the row", the old key's delete in the same batch.
     */
    @ParameterizedTest(name = "FULL: {0}")
    @CsvSource({"true", "false"})
    void theNewKeysCreateBeforeTheOldRowInOneBatch(boolean full) {
        TestTable newKeys = p0;
        TestTable oldKeys = p1;
        log.append(p0.marker(0, 2, false), p1.marker(0, 2, false), oldKeys.insert(full(1)));
        log.append(KeyMoves.move(oldKeys, 1, newKeys, 2));
        log.append(p0.marker(1, 2, false), p1.marker(1, 2, false));
        TestWriters.Builder builder = TestWriters.against(db).connector("full-moves").task("0").policy(ErrorPolicy.FAIL)
                .lifecyclePollIntervalMs(50).topics(p0.topic);
        a = new TestTask(log, full ? builder.modeOverrides(Map.of("HR.DOC", ConsistencyMode.FULL)) : builder,
                Set.of(new TopicPartition(p0.topic, 0), new TopicPartition(p0.topic, 1)));
        long deadline = System.currentTimeMillis() + 20_000;
        while (!((!full || applied(1)) && rows().size() == 1) && System.currentTimeMillis() < deadline) {
            a.pump();
            TestTask.sleep(40);
        }
        assertThat(db.rowsAsText("SELECT source_table, status, reason FROM tidemark.table_state"))
                .as("the table's status").noneMatch(s -> s.contains("ERROR"));
        assertThat(rows()).containsExactly("2|moved 1|text 1|bytes 1");
    }

    /** Row 1 with every value, in iteration 0 (so in the target before the moves) or in the moves' own. */
    private void insertTheFirstRow(boolean inIterationZero) {
        if (inIterationZero) {
            log.append(p0.insert(full(1)), p0.marker(0, 2, false), p1.marker(0, 2, false));
        } else {
            log.append(p0.marker(0, 2, false), p1.marker(0, 2, false), p0.insert(full(1)));
        }
    }

    /**
     * Runs task A (partition 0) and task B (partition 1) until iteration 1 is applied; then nothing
     * stopped or was set aside, and the target holds only {@code row}.
     */
    private void assertIterationOneAppliedWith(boolean partitionZeroFirst, String row) {
        a = task("0", 0);
        b = task("1", 1);
        pumpBoth(partitionZeroFirst, () -> applied(1));
        assertNothingStoppedOrSetAside();
        assertThat(applied(1)).as("iteration 1 applied within 20 s").isTrue();
        assertThat(rows()).containsExactly(row);
    }

    /** The task named first runs alone for a while, then both, for 20 s at most, until {@code done}. */
    private void pumpBoth(boolean partitionZeroFirst, BooleanSupplier done) {
        TestTask first = partitionZeroFirst ? a : b;
        TestTask second = partitionZeroFirst ? b : a;
        first.pumpFor(1_500);
        long deadline = System.currentTimeMillis() + 20_000;
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            second.pump();
            first.pump();
            TestTask.sleep(40);
        }
    }
}
