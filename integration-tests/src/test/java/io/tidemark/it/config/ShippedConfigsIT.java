package io.tidemark.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.avro.AvroConverters;

/**
 * The shipped configuration, as a platform team would use it: every connector file of
 * {@code config/connectors/} through the worker's {@code PUT /connector-plugins/{plugin}/config/validate}
 * (the worker configured with the shipped worker file's providers and policies, both plugins loaded
 * from their ZIPs, Oracle's driver in the source plugin, Apicurio's Avro converter in a plugin
 * directory of its own), the Strimzi resources against those files, and the sink's assignment
 * strategy on many one-partition topics.
 *
 * <p>Placeholders resolve through the real config providers: {@code ${file:/mnt/tidemark/...}} from a
 * secrets file this test writes (the directory remapped to the test's, the only change made to a
 * file), {@code ${env:TIDEMARK_DEMO_*}} from the environment the integration-tests build sets.
 */
class ShippedConfigsIT {

    private static final String SECRETS_DIR = "/mnt/tidemark/";
    private static final Path WORK = temporaryDirectory();

    private static PostgresTestDatabase db;
    private static ConnectTestCluster connect;

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("shipped-configs").cluster(c -> {
        shippedWorkerSettings().forEach(c::workerProp);
        return c.pluginPath(bothPluginsWithOjdbc()).withAvroConverterPlugin();
    });

    @BeforeAll
    static void start() throws IOException {
        db = PIPELINE.db();
        connect = PIPELINE.connect();
        Files.writeString(WORK.resolve("secrets.properties"),
                "oracle.password=not-used-here\npg.password=" + db.password() + "\nlicense.key=\n");
    }

    /**
     * The shipped worker file's settings that decide how connector configs are read: providers (the
     * file provider's allowed path moved with the secrets, as {@link #withSecretsIn} moves them) and
     * the override policy with its allowlist, so that a key the allowlist lacks fails validation.
     */
    private static Map<String, String> shippedWorkerSettings() {
        Properties worker = ShippedFiles.properties("config/worker/connect-distributed.properties");
        Map<String, String> settings = new TreeMap<>();
        worker.stringPropertyNames().stream()
                .filter(k -> k.startsWith("config.providers") || k.startsWith("connector.client.config.override.")
                        || k.equals("plugin.discovery"))
                .forEach(k -> settings.put(k, worker.getProperty(k)));
        assertThat(settings).containsEntry("connector.client.config.override.policy", "Allowlist")
                .containsKeys("config.providers", "connector.client.config.override.allowlist")
                .containsEntry(ALLOWED_PATHS, SECRETS_DIR.substring(0, SECRETS_DIR.length() - 1))
                .containsEntry("config.providers.env.param.allowlist.pattern", "^TIDEMARK_.*");
        settings.put(ALLOWED_PATHS, WORK.toString());
        return settings;
    }

    private static final String ALLOWED_PATHS = "config.providers.file.param.allowed.paths";

    /** plugin.path as docs/oracle.md has it: the sink's directory, and the source's with ojdbc11 in its lib/. */
    private static Path bothPluginsWithOjdbc() {
        Path plugins = WORK.resolve("plugins");
        copyPlugin(Path.of(System.getProperty("tidemark.oracle.plugin.path")), "tidemark-connector-source-", plugins);
        copyPlugin(ConnectTestCluster.pluginPathFromBuild(), "tidemark-connector-sink-", plugins);
        return plugins;
    }

    @Test
    void everyConnectorFileValidatesOnTheWorker() throws Exception {
        List<Path> files = ShippedFiles.files("config/connectors", ".json");
        assertThat(files).extracting(ShippedFiles::connectorName)
                .contains("demo-source", "demo-sink", "demo-oracle-source", "demo-oracle-sink", "erp-source", "erp-sink");
        assertThat(allPlugins()).as("the worker's plugins").contains(AvroConverters.CONVERTER_CLASS);
        for (Path file : files) {
            Map<String, String> config = withSecretsIn(WORK, ShippedFiles.connectorFile(file));
            config.put("name", ShippedFiles.connectorName(file));
            if (AvroConverters.CONVERTER_CLASS.equals(config.get("value.converter"))) {
                // The worker loads the converter and validates its settings against its ConfigDef, which
                // declares none of the apicurio.* keys: the Confluent wire format is checked here.
                checkApicurioConverter(file, config, "key.converter");
                checkApicurioConverter(file, config, "value.converter");
                if (config.get("connector.class").startsWith("io.tidemark.source.")) {
                    // The marker schema beside the table's in one topic: with the default TopicIdStrategy
                    // both are versions of <topic>-value, and a registry's compatibility rule refuses the
                    // marker (docs/converters.md).
                    assertThat(config).as(file + ": a source's markers get registry artifacts of their own")
                            .containsEntry("value.converter.apicurio.registry.artifact-resolver-strategy",
                                    "io.apicurio.registry.serde.strategy.TopicRecordIdStrategy");
                }
            }
            String connectorClass = config.get("connector.class");
            ConfigInfos infos = connect.connect().validateConnectorConfig(
                    connectorClass.substring(connectorClass.lastIndexOf('.') + 1), config);
            Map<String, List<String>> errors = new TreeMap<>();
            infos.configs().stream().filter(info -> info.configValue() != null && !info.configValue().errors().isEmpty())
                    .forEach(info -> errors.put(info.configValue().name(), info.configValue().errors()));
            if (connectorClass.endsWith("OracleConnector")) {
                // No Oracle database runs here: Debezium's connection check is the one error it may report.
                List<String> connection = errors.remove("database.hostname");
                if (connection != null) {
                    assertThat(connection).as(file + ": database.hostname").singleElement().asString()
                            .containsIgnoringCase("connect");
                    System.out.println(file + ": Debezium's connection check, the one error allowed here: " + connection);
                }
            }
            assertThat(errors).as(file + " validated by the worker").isEmpty();
            infos.configs().stream().filter(info -> info.configValue() != null && info.configValue().value() instanceof String)
                    .forEach(info -> assertThat((String) info.configValue().value())
                            .as(file + ": " + info.configValue().name() + " resolved by the config providers")
                            .doesNotContain("${"));
        }
    }

    private static void checkApicurioConverter(Path file, Map<String, String> config, String prefix) {
        assertThat(config).as(file + ": " + prefix + " in the Confluent wire format")
                .containsEntry(prefix, AvroConverters.CONVERTER_CLASS)
                .containsEntry(prefix + ".apicurio.registry.headers.enabled", "false")
                .containsEntry(prefix + ".apicurio.registry.as-confluent", "true")
                .containsEntry(prefix + ".apicurio.registry.use-id", "contentId");
        assertThat(config.get(prefix + ".apicurio.registry.url")).as(file + ": the registry").startsWith("http");
    }

    @Test
    void strimziResourcesAreTheConnectorFilesAndTheWorkerFile() {
        Map<Path, JsonNode> yamls = new LinkedHashMap<>(); // each YAML parsed once: every one parses
        Stream.of("config", "docker").flatMap(dir -> ShippedFiles.files(dir, ".yaml").stream())
                .forEach(yaml -> yamls.put(yaml, ShippedFiles.yaml(yaml)));

        JsonNode cluster = ShippedFiles.yaml(ShippedFiles.path("config/strimzi/kafka-connect.yaml"));
        assertThat(cluster.at("/kind").asText()).isEqualTo("KafkaConnect");
        assertThat(cluster.at("/metadata/annotations/strimzi.io~1use-connector-resources").asText()).isEqualTo("true");
        Properties worker = ShippedFiles.properties("config/worker/connect-distributed.properties");
        cluster.at("/spec/config").fields().forEachRemaining(e -> assertThat(e.getValue().asText())
                .as("KafkaConnect spec.config." + e.getKey() + " as in connect-distributed.properties")
                .isEqualTo(worker.getProperty(e.getKey())));
        // Strimzi's v1 API takes the group and its topics as fields of their own and refuses them in config.
        assertThat(cluster.at("/apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1");
        Map<String, String> ownFields = Map.of("groupId", "group.id", "configStorageTopic", "config.storage.topic",
                "offsetStorageTopic", "offset.storage.topic", "statusStorageTopic", "status.storage.topic");
        ownFields.forEach((field, key) -> {
            assertThat(cluster.at("/spec/" + field).asText()).as("KafkaConnect spec." + field).isEqualTo(worker.getProperty(key));
            assertThat(cluster.at("/spec/config").has(key)).as("spec.config." + key + " (v1 wants spec." + field + ")").isFalse();
        });
        assertThat(cluster.at("/spec/metricsConfig/valueFrom/configMapKeyRef/name").asText())
                .isEqualTo(ShippedFiles.yaml(ShippedFiles.path("config/strimzi/connect-metrics.yaml")).at("/metadata/name").asText());
        List<String> plugins = new ArrayList<>();
        cluster.at("/spec/build/plugins").forEach(plugin -> {
            plugins.add(plugin.get("name").asText());
            plugin.get("artifacts").forEach(artifact -> {
                if (artifact.get("type").asText().equals("zip")) {
                    assertThat(artifact.get("url").asText()).as("the released ZIP of " + plugin.get("name").asText())
                            .matches(".*/" + plugin.get("name").asText() + "-\\d+\\.\\d+\\.\\d+\\.zip");
                    assertThat(artifact.path("sha512sum").asText()).as("the checksum of " + artifact.get("url").asText())
                            .matches("[0-9a-f]{128}");
                }
            });
        });
        assertThat(plugins).contains("tidemark-connector-source", "tidemark-connector-sink", "tidemark-apicurio-converter");
        // The ZIPs the build makes carry the same names (with the version): what the release publishes.
        assertThat(ShippedFiles.path("connector-source/target/tidemark-connector-source-" + ShippedFiles.VERSION + ".zip")).exists();
        assertThat(ShippedFiles.path("connector-sink/target/tidemark-connector-sink-" + ShippedFiles.VERSION + ".zip")).exists();

        Map<Path, JsonNode> connectors = new LinkedHashMap<>(yamls);
        connectors.values().removeIf(resource -> !resource.path("kind").asText().equals("KafkaConnector"));
        assertThat(connectors).isNotEmpty();
        Map<String, List<Path>> connectorFiles = ShippedFiles.files("config/connectors", ".json").stream()
                .collect(Collectors.groupingBy(ShippedFiles::connectorName));
        for (Map.Entry<Path, JsonNode> entry : connectors.entrySet()) {
            Path yaml = entry.getKey();
            JsonNode resource = entry.getValue();
            String name = resource.at("/metadata/name").asText();
            assertThat(resource.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo(cluster.at("/metadata/name").asText());
            assertThat(resource.at("/spec/state").asText()).as(yaml + ": spec.state").isIn("running", "paused", "stopped");
            assertThat(resource.at("/apiVersion").asText()).as(yaml + ": Strimzi 1.x serves only v1").isEqualTo("kafka.strimzi.io/v1");
            assertThat(resource.at("/spec/autoRestart/enabled").asBoolean()).as(yaml + ": spec.autoRestart").isTrue();
            List<Path> json = connectorFiles.getOrDefault(name, List.of());
            assertThat(json).as("the connector file of " + name).hasSize(1);
            Map<String, String> file = ShippedFiles.connectorFile(json.get(0));
            Map<String, String> fromYaml = new LinkedHashMap<>();
            fromYaml.put("connector.class", resource.at("/spec/class").asText());
            fromYaml.put("tasks.max", resource.at("/spec/tasksMax").asText());
            resource.at("/spec/config").fields().forEachRemaining(e -> fromYaml.put(e.getKey(), e.getValue().asText()));
            // Only the Kafka cluster's address differs: the Strimzi cluster's, not the compose file's.
            for (String key : List.of("schema.history.internal.kafka.bootstrap.servers")) {
                if (file.containsKey(key)) {
                    assertThat(fromYaml.get(key)).as(yaml + ": " + key).isEqualTo(cluster.at("/spec/bootstrapServers").asText());
                    fromYaml.put(key, file.get(key));
                }
            }
            assertThat(fromYaml).as(yaml + " against " + json.get(0)).isEqualTo(file);
        }
    }

    /**
     * With Connect's default range assignor, 200 one-partition topics and tasks.max=2 put every
     * partition on one task (each topic's one partition goes to the first member); with the
     * assignor the shipped sink files set, both tasks get about half.
     */
    @Test
    void twoSinkTasksShareManyOnePartitionTopicsWithTheShippedAssignor() throws Exception {
        int topics = 200;
        try (Admin admin = connect.connect().kafka().createAdminClient()) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (int i = 0; i < topics; i++) {
                newTopics.add(new NewTopic(String.format("demo.shop.t%03d", i), 1, (short) 1));
            }
            admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
        }
        Map<String, String> shipped = ShippedFiles.connectorFile(ShippedFiles.path("config/connectors/demo/demo-sink.json"));
        assertThat(shipped).containsEntry("consumer.override.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");

        Map<String, String> sink = new HashMap<>(shipped);
        sink.put("connection.url", db.jdbcUrl());
        sink.put("connection.user", db.user());
        sink.put("connection.password", db.password());
        connect.startConnector("shipped-assignor", sink, 2);
        List<Integer> shared = partitionsPerTask("shipped-assignor", topics);
        System.out.println("partitions per sink task with the shipped assignor: " + shared);
        assertThat(shared).hasSize(2).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(topics / 4));

        Map<String, String> defaults = new HashMap<>(sink);
        defaults.remove("consumer.override.partition.assignment.strategy");
        defaults.put("project.name", "default-assignor");
        connect.startConnector("default-assignor", defaults, 2);
        List<Integer> lopsided = partitionsPerTask("default-assignor", topics);
        System.out.println("partitions per sink task with Connect's default assignor: " + lopsided);
        assertThat(lopsided).containsExactlyInAnyOrder(topics, 0);
    }

    /**
     * Partitions per member of the connector's consumer group, once the group is stable with two
     * members holding all {@code total}. Only a STABLE group's assignment is the assignor's answer:
     * while the second task joins (PREPARING_REBALANCE) the group already lists it, with nothing,
     * beside the first task's old assignment of everything — the [200, 0] a CI run once took for
     * the answer.
     */
    private static List<Integer> partitionsPerTask(String connector, int total) {
        try (Admin admin = connect.connect().kafka().createAdminClient()) {
            String group = "connect-" + connector;
            return Awaitility.await("the partitions of " + group + " assigned to two members of a stable group")
                    .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                                .all().get(10, TimeUnit.SECONDS).get(group);
                        if (description.groupState() != GroupState.STABLE) {
                            return List.<Integer>of();
                        }
                        return description.members().stream().map(m -> m.assignment().topicPartitions().size()).toList();
                    }, counts -> counts.size() == 2 && counts.stream().mapToInt(Integer::intValue).sum() == total);
        }
    }

    /** {@code GET /connector-plugins?connectorsOnly=false}: every plugin class the worker loaded, converters too. */
    private static String allPlugins() throws IOException {
        return connect.connect().requestGet(connect.connect().endpointForResource("connector-plugins?connectorsOnly=false"))
                .getEntity().toString();
    }

    /** The file with its {@code ${file:/mnt/tidemark/...}} placeholders pointing into {@code dir}. */
    static Map<String, String> withSecretsIn(Path dir, Map<String, String> config) {
        Map<String, String> remapped = new LinkedHashMap<>();
        config.forEach((k, v) -> remapped.put(k, v.replace("${file:" + SECRETS_DIR, "${file:" + dir + "/")));
        return remapped;
    }

    private static void copyPlugin(Path from, String prefix, Path to) {
        try (Stream<Path> dirs = Files.list(from)) {
            Path plugin = dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
            Path target = to.resolve(plugin.getFileName());
            try (Stream<Path> tree = Files.walk(plugin)) {
                for (Path p : tree.toList()) {
                    Path copy = target.resolve(plugin.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Under target/, fresh for each run: the plugin copies are large, and mvn clean removes them.
    private static Path temporaryDirectory() {
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target/shipped-configs");
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> tree = Files.walk(dir)) {
                    for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
