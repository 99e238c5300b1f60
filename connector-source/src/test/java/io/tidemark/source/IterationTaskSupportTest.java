package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.Test;

import io.debezium.config.Configuration;
import io.tidemark.source.converter.NonFiniteFloatWatch;

/**
 * Debezium restarts a task in place after a retriable error: {@code BaseSourceTask.poll()} calls
 * {@code stop(true)} (our {@code doStop}) and, on a later poll, {@code start()} again on the same
 * task, with the same {@code SourceTaskContext} and so the same plugin metrics. Kafka's
 * {@link PluginMetricsImpl} refuses a metric that exists already.
 */
class IterationTaskSupportTest {

    private static final Map<String, String> TAGS = Map.of("connector", "shop-source", "task", "0");
    private static final DebeziumStreaming NOT_YET_STREAMING = new DebeziumStreaming("initial", true, () -> false);

    /** A PostgreSQL source that is never reached: the writer waits for streaming, which never comes here. */
    private static Configuration config() {
        return Configuration.from(Map.of(
                "database.hostname", "127.0.0.1", "database.port", "1", "database.user", "nobody",
                "database.dbname", "nowhere", "topic.prefix", "shop", "iteration.schema", "tidemark",
                "iteration.admin.bootstrap.servers", "127.0.0.1:1"));
    }

    @Test
    void anInTaskRestartKeepsOneSetOfMetricsThatReadsTheRunningWriter() throws Exception {
        Metrics metrics = new Metrics();
        PluginMetricsImpl plugin = new PluginMetricsImpl(metrics, TAGS);
        IterationTaskSupport support = new IterationTaskSupport(new PostgresFlavor());

        support.start(config(), () -> null, NOT_YET_STREAMING, plugin);
        support.stop(); // BaseSourceTask.stop(true) after a retriable error
        support.start(config(), () -> null, NOT_YET_STREAMING, plugin); // the restart on the next poll
        try {
            assertThat(metrics.metrics().get(metrics.metricName("tidemark-last-marker-iteration", "plugins", "", TAGS))
                    .metricValue()).isEqualTo(-1L);
            assertThat(metrics.metrics().get(metrics.metricName("tidemark-marker-writer-failed", "plugins", "", TAGS))
                    .metricValue()).isEqualTo(0);
            assertThat(metrics.metrics().get(metrics.metricName(NonFiniteFloatWatch.METRIC, "plugins", "", TAGS))
                    .metricValue()).isEqualTo(0.0);
        } finally {
            support.stop();
            plugin.close();
        }
    }
}
