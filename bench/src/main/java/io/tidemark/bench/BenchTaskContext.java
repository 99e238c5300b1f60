package io.tidemark.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * What a task sees of Connect when the benchmark drives it directly: its assignment. A fresh target
 * holds no offsets, so a rewind on open is to where the records start anyway; nothing pauses in a
 * clean run (if a task tries, the run fails rather than measure something else).
 */
record BenchTaskContext(Map<String, String> configs, Set<TopicPartition> assignment) implements SinkTaskContext {

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
    }

    @Override
    public void timeout(long timeoutMs) {
    }

    @Override
    public void pause(TopicPartition... partitions) {
        throw new IllegalStateException("a task paused partitions in a clean run: " + List.of(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        return null;
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
