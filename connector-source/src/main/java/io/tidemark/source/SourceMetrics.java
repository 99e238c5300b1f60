package io.tidemark.source;

import java.util.function.Supplier;

import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

import io.tidemark.common.metrics.TaskPluginMetrics;
import io.tidemark.source.marker.MarkerWriter;

/**
 * The source task's figures as Connect plugin metrics ({@code context.pluginMetrics()}): under the
 * worker's group {@code plugins}, tagged with the connector and task, so they show in its JMX
 * ({@code kafka.connect:type=plugins,connector=…,task=…}) beside Debezium's own. Registered once per
 * task; they read the writer that runs now (a new one after Debezium restarted the task in place).
 */
final class SourceMetrics {

    private SourceMetrics() {
    }

    /** @param writer the running marker writer, or null while none runs */
    static void register(PluginMetrics metrics, Supplier<MarkerWriter> writer) {
        TaskPluginMetrics.add(metrics, "tidemark-markers-written-total", "Marker rows this task wrote into the "
                + "source's marker table since it (re)started", (Gauge<Long>) (config, now) -> {
                    MarkerWriter w = writer.get();
                    return w == null ? 0L : w.markersWritten();
                });
        TaskPluginMetrics.add(metrics, "tidemark-last-marker-iteration", "The iteration the last marker row written "
                + "closes (-1 before the first)", (Gauge<Long>) (config, now) -> {
                    MarkerWriter w = writer.get();
                    return w == null ? -1L : w.lastIteration();
                });
        TaskPluginMetrics.add(metrics, "tidemark-marker-writer-failed", "1 when the marker writer stopped with an "
                + "error (the task fails with it)", (Gauge<Integer>) (config, now) -> {
                    MarkerWriter w = writer.get();
                    return w != null && w.failed() ? 1 : 0;
                });
    }
}
