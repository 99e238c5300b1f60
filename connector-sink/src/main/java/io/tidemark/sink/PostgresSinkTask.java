package io.tidemark.sink;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

import io.tidemark.sink.config.PostgresSinkConfig;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.errors.RetryPolicy;
import io.tidemark.sink.flush.ConnectionFactory;
import io.tidemark.sink.flush.ErrorPolicies;
import io.tidemark.sink.flush.FlushGuard;
import io.tidemark.sink.license.LicenseSetup;
import io.tidemark.sink.metrics.ConsumerLag;
import io.tidemark.sink.metrics.SinkMetrics;
import io.tidemark.sink.schema.TableModels;
import io.tidemark.sink.types.ColumnTypes;
import io.tidemark.sink.writer.ConsumerControl;
import io.tidemark.sink.writer.SinkWriter;
import io.tidemark.sink.writer.WriterSettings;

/** Tidemark's sink task: translates Connect's callbacks into calls on a {@link SinkWriter}. */
public class PostgresSinkTask extends SinkTask {

    /** The task's number, added by {@link PostgresSinkConnector#taskConfigs}. */
    static final String TASK_ID = "tidemark.task.id";

    private SinkWriter writer;
    private FlushGuard guard;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        PostgresSinkConfig config = new PostgresSinkConfig(props);
        String connector = props.getOrDefault("name", "tidemark-sink");
        String task = props.getOrDefault(TASK_ID, "0");
        // A flush is a series of statements, each bounded by the statement and socket timeouts; this
        // is the last resort should a flush as a whole still outlast them.
        long flushMaxWaitMs = 2 * Math.max(config.statementTimeoutMs(), config.socketTimeoutMs());
        WriterSettings settings = new WriterSettings(connector, task, config.batchSize(),
                config.batchMaxBytes(), config.batchMaxWaitMs(), pollRecords(props),
                new RetryPolicy(config.retryMaxDurationMs(), config.retryBackoffMs(), config.retryBackoffMaxMs()),
                config.unavailableValuePlaceholder(), config.autoCreate(), config.autoEvolve(), 5_000, flushMaxWaitMs,
                config.consistencyModes(), config.lifecyclePollIntervalMs(), config.iterationApplyTimeoutMs(),
                PostgresSinkConfig.listedTopics(props));
        guard = LicenseSetup.meter(config, connector, new ControlSchema(config.controlSchema()));
        writer = new SinkWriter(settings,
                ConnectionFactory.of(config, "tidemark-sink " + connector),
                new ControlSchema(config.controlSchema()),
                config.projectName(connector),
                new TableModels(config.nameMapper(), ColumnTypes.standard()),
                new ErrorPolicies(config.defaultErrorPolicy(), config.errorPolicyOverrides()),
                new ContextConsumerControl(ConsumerLag.ofTask(props, connector, task)),
                guard);
        writer.start();
        PluginMetrics metrics = context == null ? null : context.pluginMetrics();
        if (metrics != null) {
            SinkMetrics.register(metrics, writer::stats, writer::blockedReason);
        }
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        writer.open(partitions);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        writer.put(records);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        Map<TopicPartition, Long> offsets = writer.preCommit();
        String metadata = guard.commitMetadata(); // the license high-water mark: a copy outside the database
        offsets.forEach((tp, offset) -> result.put(tp, new OffsetAndMetadata(offset, metadata)));
        return result;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        writer.close(partitions);
    }

    @Override
    public void stop() {
        if (writer != null) {
            writer.stop();
        }
    }

    /** The writer's view of the consumer, through Connect's task context and the consumer's metrics. */
    private final class ContextConsumerControl implements ConsumerControl {
        private final ConsumerLag lag;

        ContextConsumerControl(ConsumerLag lag) {
            this.lag = lag;
        }

        @Override
        public void rewind(Map<TopicPartition, Long> offsets) {
            context.offset(offsets);
        }

        @Override
        public void pause(Collection<TopicPartition> partitions) {
            context.pause(partitions.toArray(new TopicPartition[0]));
        }

        @Override
        public void resume(Collection<TopicPartition> partitions) {
            context.resume(partitions.toArray(new TopicPartition[0]));
        }

        @Override
        public void wakeUpWithin(long millis) {
            context.timeout(millis);
        }

        @Override
        public long lag(Collection<TopicPartition> partitions) {
            return lag.lag(partitions);
        }
    }

    /**
     * The consumer's max.poll.records as the connector sets it; Kafka's default (500) otherwise. A
     * worker-wide value above it shows in the first full poll ({@code FlushTiming} takes the larger).
     */
    static int pollRecords(Map<String, String> props) {
        String value = props.get("consumer.override.max.poll.records");
        try {
            return value == null ? 500 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 500; // Connect refuses the connector before its task starts
        }
    }
}
