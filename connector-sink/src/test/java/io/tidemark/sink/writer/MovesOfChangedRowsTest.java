package io.tidemark.sink.writer;

import static io.tidemark.sink.writer.UnavailableValuesTest.PLACEHOLDER;
import static io.tidemark.sink.writer.UnavailableValuesTest.PLACEHOLDER_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A row whose large values changed just before its primary key did: the new key must get the values
 * the row had at the move, never an older image of the old key. Found by {@code PipelineSoakIT}
 * (seed 2022859192025, Tidemark's assignor, PARTIAL table {@code doc}): row 79, moved from 2, kept
 * the body 2 had before its last update. The old key's partition was behind: its task had not yet
 * applied the update when the new key's task filled the create from the target's (older) row 2.
 */
class MovesOfChangedRowsTest extends TwoTaskMoves {

    private static final String MOVED = "2|moved 1|text 1b|bytes 1b";

    /** Row 1 with new large values (an update that changed them), as Debezium sends it in full. */
    private Struct changed() {
        return p0.events.row("ID", 1L, "NAME", "moved 1", "NOTE", "text 1b",
                "DATA", "bytes 1b".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Task A owns the old key's partition, B the new key's. Row 1 is in the target; then 1's large
     * values change and 1 moves to 2. B gets to the new key's create first, while A has applied
     * neither the change nor the delete.
     */
    @ParameterizedTest(name = "FULL: {0}")
    @CsvSource({"false", "true"})
    void theNewKeysTaskAheadOfTheOldKeysWaitsForTheChangedValues(boolean full) {
        rowOneInTheTarget(full, true);

        log.append(p0.update(full(1), changed()));
        log.append(KeyMoves.move(p0, 1, p1, 2));
        log.append(p0.marker(1, 2, false), p1.marker(1, 2, false));
        b.pumpFor(1_500);
        assertMovedWithTheChangedValues(full);
    }

    /**
     * One task owns both partitions; the change of 1's large values and 1's move come in one batch,
     * the new key's create in the next (its partition was read later). The delete moves the target's
     * row to 2: it must take the values the batch's change carried, not the target's older ones.
     */
    @ParameterizedTest(name = "FULL: {0}")
    @CsvSource({"false", "true"})
    void theChangeAndTheMoveInOneBatchTheCreateInTheNext(boolean full) {
        rowOneInTheTarget(full, false);

        var change = p0.update(full(1), changed()); // offsets are taken when a record is made: the change first
        var move = KeyMoves.move(p0, 1, p1, 2);
        log.append(change, move[0], move[1]);
        a.pumpFor(600);
        log.append(move[2], p0.marker(1, 2, false), p1.marker(1, 2, false));
        assertMovedWithTheChangedValues(full);
    }

    /** An update leaving the large values untouched (placeholders) between the change and the move: still the change's. */
    @ParameterizedTest(name = "FULL: {0}")
    @CsvSource({"false", "true"})
    void anUntouchedUpdateAfterTheChangeKeepsItForTheMove(boolean full) {
        rowOneInTheTarget(full, true);

        log.append(p0.update(full(1), changed()));
        log.append(p0.update(changed(), p0.events.row("ID", 1L, "NAME", "moved 1", "NOTE", PLACEHOLDER,
                "DATA", PLACEHOLDER_BYTES)));
        log.append(KeyMoves.move(p0, 1, p1, 2));
        log.append(p0.marker(1, 2, false), p1.marker(1, 2, false));
        b.pumpFor(1_500);
        assertMovedWithTheChangedValues(full);
    }

    /** Row 1 applied in iteration 0; task A owns partition 0 and, unless {@code twoTasks}, partition 1 too. */
    private void rowOneInTheTarget(boolean full, boolean twoTasks) {
        log.append(p0.insert(full(1)), p0.marker(0, 2, false), p1.marker(0, 2, false));
        TopicPartition zero = new TopicPartition(p0.topic, 0);
        TopicPartition one = new TopicPartition(p0.topic, 1);
        a = task(full, "0", twoTasks ? Set.of(zero) : Set.of(zero, one));
        b = twoTasks ? task(full, "1", Set.of(one)) : null;
        pumpUntil(() -> rows().equals(List.of("1|moved 1|text 1|bytes 1")) && (!full || applied(0)));
    }

    private void assertMovedWithTheChangedValues(boolean full) {
        pumpUntil(() -> rows().equals(List.of(MOVED)) && (!full || applied(1)));
        assertThat(rows()).containsExactly(MOVED);
        assertNothingStoppedOrSetAside();
    }
}
