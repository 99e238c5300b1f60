package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionPausesTest {

    private final TopicPartition tp = new TopicPartition("t", 0);
    private final RecordingConsumer consumer = new RecordingConsumer();
    private final PartitionPauses pauses = new PartitionPauses(consumer);

    @Test
    void aPartitionResumesOnlyWhenItsLastReasonGoes() {
        pauses.pause(List.of(tp), PartitionPauses.Reason.TABLE_STOPPED);
        pauses.pause(List.of(tp), PartitionPauses.Reason.FLOW_BLOCKED);
        assertThat(consumer.paused).containsExactly(tp);
        pauses.resumeAll(PartitionPauses.Reason.FLOW_BLOCKED);
        assertThat(consumer.paused).as("the license resumed, the table is still stopped").containsExactly(tp);
        assertThat(pauses.isPaused(tp)).isTrue();
        pauses.resume(List.of(tp), PartitionPauses.Reason.TABLE_STOPPED);
        assertThat(consumer.paused).isEmpty();
        assertThat(pauses.isPaused(tp)).isFalse();
    }
}
