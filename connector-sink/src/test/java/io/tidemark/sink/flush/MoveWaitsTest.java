package io.tidemark.sink.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.copy.UnavailableFill;
import io.tidemark.sink.record.ChangeEvent;

/**
 * The wait of a key change for its old row is bounded per record, whatever happens between two
 * attempts: {@link ApplierSession} keeps one {@link MoveWaits} for the task's life, so a flush
 * retried on a new connection goes on with the same clock (it used to start again at 60 s).
 */
class MoveWaitsTest {

    private static final Schema KEY = SchemaBuilder.struct().field("ID", Schema.INT64_SCHEMA).build();

    @Test
    void namesTheWaitingPartitionsAndGivesUpAfterTheBound() {
        MoveWaits waits = new MoveWaits();
        List<UnavailableFill.Unfillable> rows = List.of(waiting(1, 7), waiting(1, 9), waiting(2, 4), notWaiting(3, 5));
        long t0 = 1_000_000;

        assertThatThrownBy(() -> waits.waitForOldKeys(rows, t0)).isInstanceOfSatisfying(MoveWaitsForOldRow.class,
                e -> {
                    assertThat(e.waiting()).isEqualTo(Map.of(new TopicPartition("t", 1), 7L,
                            new TopicPartition("t", 2), 4L));
                    assertThat(e.getMessage()).contains("waiting for it, 60 s more at most");
                });
        // Each attempt, on whatever connection, counts from the first one.
        assertThatThrownBy(() -> waits.waitForOldKeys(rows, t0 + 45_000))
                .hasMessageContaining("waiting for it, 15 s more at most");
        assertThatCode(() -> waits.waitForOldKeys(rows, t0 + MoveWaits.WAIT_MS)).doesNotThrowAnyException();
        assertThat(waits.gaveUp(rows.get(0))).isEqualTo("; the old key's row did not arrive within 60 s");
        assertThat(waits.gaveUp(rows.get(3))).isEmpty();
    }

    @Test
    void aRowGivenUpOnIsNotWaitedForAgainWhenItsFlushIsAppliedAgain() {
        MoveWaits waits = new MoveWaits();
        List<UnavailableFill.Unfillable> rows = List.of(waiting(1, 7));
        long t0 = 1_000_000;
        assertThatThrownBy(() -> waits.waitForOldKeys(rows, t0)).isInstanceOf(MoveWaitsForOldRow.class);
        assertThatCode(() -> waits.waitForOldKeys(rows, t0 + MoveWaits.WAIT_MS)).doesNotThrowAnyException();
        assertThat(waits.gaveUp(rows.get(0))).isEqualTo("; the old key's row did not arrive within 60 s");

        // The flush is rolled back after that (another table refused, a lost connection) and applied
        // again: the row goes to its policy at once, with the same reason.
        assertThatCode(() -> waits.waitForOldKeys(rows, t0 + MoveWaits.WAIT_MS + 1_000)).doesNotThrowAnyException();
        assertThat(waits.gaveUp(rows.get(0))).isEqualTo("; the old key's row did not arrive within 60 s");
    }

    private static UnavailableFill.Unfillable waiting(int partition, long offset) {
        return new UnavailableFill.Unfillable(0, change(partition, offset), new BitSet(), true);
    }

    private static UnavailableFill.Unfillable notWaiting(int partition, long offset) {
        return new UnavailableFill.Unfillable(0, change(partition, offset), new BitSet(), false);
    }

    private static ChangeEvent change(int partition, long offset) {
        Struct key = new Struct(KEY).put("ID", offset);
        SinkRecord record = new SinkRecord("t", partition, KEY, key, KEY, key, offset);
        return ChangeEvent.upsert(key, key, record);
    }
}
