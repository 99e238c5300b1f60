package io.tidemark.sink.metrics;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

import io.tidemark.common.metrics.TaskPluginMetrics;
import io.tidemark.sink.flush.FlushStats;

/**
 * The sink task's figures as Connect plugin metrics ({@code context.pluginMetrics()}, Kafka 4.1+):
 * the worker registers them under its metrics group {@code plugins} with the connector and task as
 * tags, so they appear in its JMX ({@code kafka.connect:type=plugins,connector=…,task=…}) and in any
 * metrics reporter the platform team runs. Totals since the task started.
 */
public final class SinkMetrics {

    private record Figure(String name, String description, ToLongFunction<FlushStats> value) {
    }

    private static final List<Figure> FIGURES = List.of(
            new Figure("tidemark-flushes-total", "Flushes (transactions) the task committed", FlushStats::flushes),
            new Figure("tidemark-records-total", "Records the task's committed flushes carried", FlushStats::records),
            new Figure("tidemark-rows-upserted-total", "Rows upserted (after collapsing per key)", FlushStats::upserted),
            new Figure("tidemark-rows-deleted-total", "Rows deleted (after collapsing per key)", FlushStats::deleted),
            new Figure("tidemark-bytes-applied-total", "Bytes applied, the license measure", FlushStats::bytes),
            new Figure("tidemark-records-skipped-total", "Records left out by the skip error policy", FlushStats::skipped),
            new Figure("tidemark-records-flagged-total", "Records written to error_rows by the flag policy",
                    FlushStats::flagged));

    private SinkMetrics() {
    }

    /**
     * @param blocked why applying is stopped (the license), or null while it flows
     */
    public static void register(PluginMetrics metrics, Supplier<FlushStats> stats, Supplier<String> blocked) {
        for (Figure f : FIGURES) {
            TaskPluginMetrics.add(metrics, f.name(), f.description(),
                    (Gauge<Long>) (config, now) -> f.value().applyAsLong(stats.get()));
        }
        TaskPluginMetrics.add(metrics, "tidemark-applying-blocked", "1 while the license gate lets no batch "
                + "through (the records wait in Kafka)", (Gauge<Integer>) (config, now) -> blocked.get() == null ? 0 : 1);
    }
}
