package io.tidemark.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debezium.config.Configuration;
import io.debezium.relational.RelationalDatabaseConnectorConfig;
import io.debezium.relational.RelationalDatabaseSchema;
import io.tidemark.source.config.IterationConfig;
import io.tidemark.source.converter.NonFiniteFloatWatch;
import io.tidemark.source.marker.JdbcMarkerStore;
import io.tidemark.source.marker.KafkaTopicPartitions;
import io.tidemark.source.marker.MarkerDialect;
import io.tidemark.source.marker.MarkerEventRecognizer;
import io.tidemark.source.marker.MarkerFanOut;
import io.tidemark.source.marker.MarkerTables;
import io.tidemark.source.marker.MarkerWriter;
import io.tidemark.source.marker.TopicCreationSettings;
import io.tidemark.source.marker.TopicPartitions;

/**
 * The task side of iterations, shared by the Oracle and PostgreSQL tasks: starts the marker writer
 * once Debezium's coordinator runs, replaces marker row events in each polled batch, stops both;
 * watches the batches for non-finite floats that JsonConverter would turn into 0.
 *
 * <p>Debezium restarts a task in place after a retriable error: {@code BaseSourceTask} calls
 * {@link #stop} and later {@link #start} again on the same instance, with the same plugin metrics.
 * So the metrics are registered once per instance and read whichever writer runs.
 */
final class IterationTaskSupport {

    private static final Logger LOG = LoggerFactory.getLogger(IterationTaskSupport.class);

    private final SourceFlavor flavor;
    /** Null before start, after stop, and while Debezium does not stream at all. */
    private volatile MarkerWriter writer;
    private TopicPartitions partitions;
    private MarkerFanOut fanOut;
    /** Null when the value converter carries non-finite floats; one per task, so its count outlives restarts. */
    private NonFiniteFloatWatch floats;
    private boolean started;

    IterationTaskSupport(SourceFlavor flavor) {
        this.flavor = flavor;
    }

    /**
     * @param schema    Debezium's schema of the captured tables, as the running task holds it
     * @param streaming whether Debezium streams: markers are written only then
     * @param metrics   the task's plugin metrics (null without a worker)
     */
    void start(Configuration config, Supplier<? extends RelationalDatabaseSchema> schema, DebeziumStreaming streaming,
               PluginMetrics metrics) {
        Map<String, String> props = config.asMap();
        IterationConfig iterations = new IterationConfig(props);
        RelationalDatabaseConnectorConfig connectorConfig = flavor.connectorConfig(config);
        MarkerDialect dialect = flavor.dialect();
        MarkerTables tables = dialect.tables(iterations);
        String stream = connectorConfig.getLogicalName();

        Map<String, Object> adminProps = new HashMap<>(IterationConfig.adminProperties(props));
        adminProps.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "tidemark-marker-" + stream);
        partitions = new KafkaTopicPartitions(() -> Admin.create(adminProps), TopicCreationSettings.from(props));
        CapturedTableTopics topics = new CapturedTableTopics(schema, connectorConfig, tables);
        fanOut = new MarkerFanOut(new MarkerEventRecognizer(tables, dialect, stream), topics::topics, partitions);

        if (streaming.streams()) {
            writer = new MarkerWriter(new JdbcMarkerStore(() -> flavor.connect(config), dialect, tables), dialect, tables,
                    connectorConfig.getJdbcConfig().getUser(), stream, iterations.intervalMs(),
                    iterations.requestPollIntervalMs(), iterations.bulkInitialLoad(), streaming.running(),
                    System::currentTimeMillis);
            writer.start();
        } else {
            LOG.warn("snapshot.mode={} takes the snapshot and streams no changes: Tidemark writes no marker row into {},"
                    + " so no iteration closes and the sink keeps the snapshot as iteration 0 without a marker."
                    + " Use snapshot.mode=initial to migrate and keep the target in step.", streaming.snapshotMode(),
                    tables.qualifiedMarkerTable());
        }
        if (!started) {
            floats = NonFiniteFloatWatch.start(props, metrics);
            if (metrics != null) {
                SourceMetrics.register(metrics, () -> writer);
            }
            started = true;
        }
    }

    /**
     * The polled batch with each marker row event replaced by the marker records, its non-finite
     * floats watched; fails the task if the writer failed.
     */
    List<SourceRecord> process(List<SourceRecord> records) {
        MarkerWriter current = writer;
        if (current != null) {
            current.throwIfFailed();
        }
        List<SourceRecord> out = fanOut.process(records);
        return floats == null ? out : floats.inspect(out);
    }

    void stop() {
        MarkerWriter current = writer;
        if (current != null) {
            current.close();
            writer = null;
        }
        if (partitions != null) {
            partitions.close();
            partitions = null;
        }
    }
}
