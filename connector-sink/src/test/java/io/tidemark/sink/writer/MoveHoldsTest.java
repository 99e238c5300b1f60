package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.flush.MoveWaitsForOldRow;

class MoveHoldsTest {

    private final TopicPartition waiting = new TopicPartition("t", 0);
    private final TopicPartition other = new TopicPartition("t", 1);
    private final RecordingConsumer consumer = new RecordingConsumer();
    private final PartitionPauses pauses = new PartitionPauses(consumer);
    private final MoveHolds holds = new MoveHolds(pauses, consumer);

    @Test
    void aWaitingPartitionTakesItsRecordsBeforeTheWaitingOneThenPausesForAMoment() {
        holds.waiting(new MoveWaitsForOldRow("waits", Map.of(waiting, 5L)), 1_000);

        assertThat(holds.holds(waiting, 4)).as("before the waiting record").isFalse();
        assertThat(holds.holds(other, 9)).as("another partition").isFalse();
        assertThat(consumer.paused).isEmpty();
        assertThat(holds.holds(waiting, 5)).as("the waiting record").isTrue();
        assertThat(consumer.paused).containsExactly(waiting);

        holds.endDue(1_000 + MoveHolds.HOLD_MS - 100);
        assertThat(consumer.paused).containsExactly(waiting);
        assertThat(consumer.lastWakeUp).as("put comes again when the hold ends").isEqualTo(100);
        holds.endDue(1_000 + MoveHolds.HOLD_MS);
        assertThat(consumer.paused).isEmpty();
        assertThat(holds.holds(waiting, 5)).as("tried again").isFalse();
    }

    @Test
    void aHoldDoesNotResumeWhatAnotherReasonPaused() {
        pauses.pause(java.util.List.of(waiting), PartitionPauses.Reason.TABLE_STOPPED);
        holds.waiting(new MoveWaitsForOldRow("waits", Map.of(waiting, 5L)), 0);
        holds.holds(waiting, 7);
        holds.endDue(MoveHolds.HOLD_MS);
        assertThat(consumer.paused).containsExactly(waiting);
    }
}
