package io.tidemark.sink.writer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/** A ConsumerControl that remembers what the writer asked for. */
final class RecordingConsumer implements ConsumerControl {

    final Map<TopicPartition, Long> rewinds = new HashMap<>();
    final List<Map<TopicPartition, Long>> rewindCalls = new ArrayList<>();
    final Set<TopicPartition> paused = new HashSet<>();
    long lastWakeUp = -1;
    /** What {@link #lag} answers: unknown unless a test sets it. */
    volatile long lag = UNKNOWN_LAG;

    @Override
    public void rewind(Map<TopicPartition, Long> offsets) {
        rewinds.putAll(offsets);
        rewindCalls.add(Map.copyOf(offsets));
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        paused.addAll(partitions);
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        paused.removeAll(partitions);
    }

    @Override
    public void wakeUpWithin(long millis) {
        lastWakeUp = millis;
    }

    @Override
    public long lag(Collection<TopicPartition> partitions) {
        return lag;
    }
}
