package io.tidemark.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;

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
 */
final class IterationTaskSupport {

    private final SourceFlavor flavor;
    private MarkerWriter writer;
    private TopicPartitions partitions;
    private MarkerFanOut fanOut;
    /** Null when the value converter carries non-finite floats. */
    private NonFiniteFloatWatch floats;

    IterationTaskSupport(SourceFlavor flavor) {
        this.flavor = flavor;
    }

    /**
     * @param schema    Debezium's schema of the captured tables, as the running task holds it
     * @param streaming whether Debezium streams now: markers are written only then
     * @param metrics   the task's plugin metrics (null without a worker)
     */
    void start(Configuration config, Supplier<? extends RelationalDatabaseSchema> schema, BooleanSupplier streaming,
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

        writer = new MarkerWriter(new JdbcMarkerStore(() -> flavor.connect(config), dialect, tables), dialect, tables,
                connectorConfig.getJdbcConfig().getUser(), stream, iterations.intervalMs(),
                iterations.requestPollIntervalMs(), streaming,
                System::currentTimeMillis);
        writer.start();
        if (metrics != null) {
            SourceMetrics.register(metrics, writer);
        }
        floats = NonFiniteFloatWatch.start(props, metrics);
    }

    /**
     * The polled batch with each marker row event replaced by the marker records, its non-finite
     * floats watched; fails the task if the writer failed.
     */
    List<SourceRecord> process(List<SourceRecord> records) {
        writer.throwIfFailed();
        List<SourceRecord> out = fanOut.process(records);
        return floats == null ? out : floats.inspect(out);
    }

    void stop() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        if (partitions != null) {
            partitions.close();
            partitions = null;
        }
    }
}
