package io.tidemark.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.isolation.PluginDiscoveryMode;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.awaitility.Awaitility;

/**
 * Kafka and Kafka Connect in this JVM ({@link EmbeddedConnectCluster}), set up the way Tidemark's
 * tests need them. Start one per test class: it takes several seconds.
 *
 * <p>Plugins load from {@code plugin.path} when a directory is given (the system property
 * {@code tidemark.plugin.path}, set by the integration-tests build to the unpacked component
 * ZIPs), as a user's worker loads them; otherwise from the test classpath. The plugins'
 * connector-common jars get the test vendor's key ({@link TestPluginKeys}).
 */
public final class ConnectTestCluster implements AutoCloseable {

    public static final String PLUGIN_PATH_PROPERTY = "tidemark.plugin.path";
    /** Where the integration-tests build unpacks the Avro converter's plugin directory (testkit-avro). */
    public static final String CONVERTER_PLUGIN_PATH_PROPERTY = "tidemark.converter.plugin.path";

    private final EmbeddedConnectCluster connect;

    private ConnectTestCluster(EmbeddedConnectCluster connect) {
        this.connect = connect;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The plugin directory the build prepared, or null when the plugins are on the classpath. */
    public static Path pluginPathFromBuild() {
        return directoryFromBuild(PLUGIN_PATH_PROPERTY);
    }

    private static Path directoryFromBuild(String property) {
        String dir = System.getProperty(property);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        Path path = Path.of(dir);
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException(property + "=" + dir + " is not a directory: run the build (mvn verify) first");
        }
        return path;
    }

    public EmbeddedConnectCluster connect() {
        return connect;
    }

    public String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    public void createTopic(String topic, int partitions) {
        connect.kafka().createTopic(topic, partitions);
    }

    /** Creates a connector and waits until it and {@code tasks} tasks run. */
    public void startConnector(String name, Map<String, String> config, int tasks) {
        connect.configureConnector(name, new HashMap<>(config));
        awaitRunning(name, tasks);
    }

    public void awaitRunning(String name, int tasks) {
        Awaitility.await("connector " + name + " and " + tasks + " task(s) RUNNING")
                .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    ConnectorStateInfo info = statusOrNull(name);
                    return info != null && "RUNNING".equals(info.connector().state())
                            && info.tasks().size() == tasks
                            && info.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()));
                });
    }

    /**
     * A worker that runs a task of the connector now: a test that removes it tests the loss of a
     * task, not of a worker that had nothing to lose.
     *
     * @throws AssertionError when no worker runs one
     */
    public WorkerHandle workerRunningATaskOf(String name) {
        List<String> hosts = connect.connectorStatus(name).tasks().stream().map(t -> t.workerId()).toList();
        return connect.workers().stream()
                .filter(w -> hosts.stream().anyMatch(h -> h.endsWith(":" + w.url().getPort())))
                .findFirst().orElseThrow(() -> new AssertionError("no worker of " + connect.workers()
                        + " runs a task of " + name + " (its tasks run on " + hosts + ")"));
    }

    /** Connector status, or null while Connect does not know the connector yet. */
    public ConnectorStateInfo statusOrNull(String name) {
        try {
            return connect.connectorStatus(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A producer of raw bytes into the embedded broker (acks=all, idempotent). */
    public KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return connect.kafka().createProducer(props);
    }

    /** Sends and waits until every record is acknowledged. */
    public void send(List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> record : records) {
                acks.add(producer.send(record));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing test records failed: " + e.getMessage(), e);
        }
    }

    /** The log-end offset of each partition of the topics. */
    public Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
        try (Admin admin = connect.kafka().createAdminClient()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, description) ->
                    description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> result = new HashMap<>();
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> result.put(tp, info.offset()));
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read end offsets of " + topics + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        connect.stop();
    }

    public static final class Builder {
        private final String name;
        private int workers = 1;
        private Path pluginPath = pluginPathFromBuild();
        private final List<Path> morePluginPaths = new ArrayList<>();
        private final Map<String, String> workerProps = new HashMap<>();
        private final Properties brokerProps = new Properties();

        private Builder(String name) {
            this.name = name;
            // A test worker commits offsets often, so the consumer-group offsets it reports are fresh.
            workerProps.put(WorkerConfig.OFFSET_COMMIT_INTERVAL_MS_CONFIG, "1000");
            brokerProps.put("auto.create.topics.enable", "false");
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Loads plugins from this directory (null: from the classpath). */
        public Builder pluginPath(Path pluginPath) {
            this.pluginPath = pluginPath;
            return this;
        }

        /** Puts the Avro converter's plugin directory from the build on plugin.path too. */
        public Builder withAvroConverterPlugin() {
            Path dir = directoryFromBuild(CONVERTER_PLUGIN_PATH_PROPERTY);
            if (dir == null) {
                throw new IllegalStateException(CONVERTER_PLUGIN_PATH_PROPERTY + " is not set: run the test through the "
                        + "integration-tests build (mvn verify), which unpacks the converter's plugin directory");
            }
            morePluginPaths.add(dir);
            return this;
        }

        public Builder workerProp(String key, String value) {
            workerProps.put(key, value);
            return this;
        }

        public ConnectTestCluster start() {
            Map<String, String> props = new HashMap<>(workerProps); // must be mutable: the cluster adds to it
            List<String> paths = new ArrayList<>();
            if (pluginPath != null) {
                paths.add(pluginPath.toAbsolutePath().toString());
            }
            morePluginPaths.forEach(p -> paths.add(p.toAbsolutePath().toString()));
            paths.forEach(p -> TestPluginKeys.addTo(Path.of(p))); // the sink trusts the test vendor's keys
            String given = props.get(WorkerConfig.PLUGIN_PATH_CONFIG); // a list of directories, as the benchmark sets it
            if (given != null) {
                for (String p : given.split(",")) {
                    if (!p.isBlank()) {
                        TestPluginKeys.addTo(Path.of(p.trim()));
                    }
                }
            }
            if (!paths.isEmpty()) {
                props.put(WorkerConfig.PLUGIN_PATH_CONFIG, String.join(",", paths));
            }
            props.putIfAbsent(WorkerConfig.PLUGIN_DISCOVERY_CONFIG, PluginDiscoveryMode.HYBRID_FAIL.toString().toLowerCase());
            EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder()
                    .name(name)
                    .numWorkers(workers)
                    .numBrokers(1)
                    .brokerProps(brokerProps)
                    .workerProps(props)
                    .build();
            cluster.start();
            return new ConnectTestCluster(cluster);
        }
    }
}
