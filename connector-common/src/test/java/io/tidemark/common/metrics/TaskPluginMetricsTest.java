package io.tidemark.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.Test;

/**
 * A task instance whose graceful stop failed still holds its plugin metrics when Connect starts the
 * task's next instance (same connector, same task id, same tags): the worker's own {@link Metrics}
 * and {@link PluginMetricsImpl}, as Connect builds them for each instance. Found by
 * {@code SinkChaosIT}: the new instance died in {@code start} on "A metric named … already exists".
 */
class TaskPluginMetricsTest {

    private static final Map<String, String> TASK_TAGS = Map.of("connector", "c", "task", "0");

    @Test
    void aNewInstanceRegistersWhileThePreviousOneStillHoldsTheNames() {
        try (Metrics worker = new Metrics()) {
            PluginMetricsImpl previous = new PluginMetricsImpl(worker, TASK_TAGS);
            TaskPluginMetrics.add(previous, "tidemark-x-total", "x", (Gauge<Long>) (config, now) -> 1L);

            PluginMetricsImpl next = new PluginMetricsImpl(worker, TASK_TAGS);
            assertThat(TaskPluginMetrics.add(next, "tidemark-x-total", "x", (Gauge<Long>) (config, now) -> 2L))
                    .as("the name is still the previous instance's: not published, and the task goes on").isFalse();
            assertThat(TaskPluginMetrics.add(next, "tidemark-z-total", "z", (Gauge<Long>) (config, now) -> 3L))
                    .as("a name the previous instance does not hold").isTrue();

            MetricName name = next.metricName("tidemark-x-total", "x", new LinkedHashMap<>());
            assertThat(worker.metric(name).metricValue()).as("the previous instance's figure, until it ends").isEqualTo(1L);
        }
    }

    @Test
    void aFirstInstanceRegistersAsUsual() {
        try (Metrics worker = new Metrics()) {
            PluginMetricsImpl only = new PluginMetricsImpl(worker, TASK_TAGS);
            assertThat(TaskPluginMetrics.add(only, "tidemark-y-total", "y", (Gauge<Long>) (config, now) -> 7L)).isTrue();
            assertThat(worker.metric(only.metricName("tidemark-y-total", "y", new LinkedHashMap<>())).metricValue())
                    .isEqualTo(7L);
        }
    }
}
