package io.tidemark.common.metrics;

import java.util.LinkedHashMap;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds a task's figure to its Connect plugin metrics ({@code context.pluginMetrics()}). When a
 * task's graceful stop fails, Connect starts its next instance while the previous one still runs
 * and still holds the same metric names (same connector, same task id) until it ends: the worker's
 * registry then refuses the name. A figure is worth less than the task, so the new instance runs
 * without that figure and says so, instead of dying in {@code start} (found by {@code SinkChaosIT}).
 */
public final class TaskPluginMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(TaskPluginMetrics.class);

    private TaskPluginMetrics() {
    }

    /**
     * Adds {@code name} with the task's own tags (the worker adds connector and task).
     *
     * @return false when the name was still held by the task's previous instance (logged at WARN)
     */
    public static boolean add(PluginMetrics metrics, String name, String description, MetricValueProvider<?> value) {
        MetricName metricName = metrics.metricName(name, description, new LinkedHashMap<>());
        try {
            metrics.addMetric(metricName, value);
            return true;
        } catch (IllegalArgumentException e) {
            LOG.warn("The plugin metric {} of this task is still held by its previous instance (its graceful stop "
                    + "failed and it has not ended yet): this instance runs without publishing it; restart the task "
                    + "to publish it again", metricName);
            return false;
        }
    }
}
