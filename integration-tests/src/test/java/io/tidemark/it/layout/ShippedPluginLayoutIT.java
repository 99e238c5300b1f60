package io.tidemark.it.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.kafka.connect.runtime.isolation.PluginDesc;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.avro.AvroConverters;
import io.tidemark.testkit.avro.InMemorySchemaResolver;

/**
 * One plugin.path as the Docker image makes it, the three archives the build made unzipped into it
 * (tidemark-connector-source, tidemark-connector-sink, tidemark-apicurio-converter), beside Debezium's
 * own PostgreSQL plugin of another version (3.5.0.Final) as a platform team already runs it. The
 * worker discovers plugins with {@code plugin.discovery=service_load}, as the shipped worker file
 * says, so the converter is found only through the manifests its archive carries (written at build
 * time by Kafka's connect-plugin-path sync-manifests), never through testkit-avro's service file.
 *
 * <p>One thing is added that a deployment would not have: no schema registry can run here, so the
 * converter's directory also gets the in-memory resolver's classes (its jar without its
 * META-INF/services), which the converters name instead of a registry URL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShippedPluginLayoutIT {

    private static final String VERSION = System.getProperty("tidemark.version", "0.1.0-SNAPSHOT");
    private static final String DEBEZIUM_PLAIN_VERSION = "3.5.0.Final";
    private static final Path PLUGINS = shippedPluginPath();

    private static PostgresTestDatabase source;
    private static PostgresTestDatabase target;
    private static ConnectTestCluster cluster;

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("shipped-layout")
            .cluster(c -> c.pluginPath(PLUGINS).workerProp("plugin.discovery", "service_load"));

    @BeforeAll
    static void start() {
        source = PIPELINE.db();
        cluster = PIPELINE.connect();
        target = PIPELINE.database("shipped_layout_target");
    }

    /** The directory the build unpacked the archives into, with the resolver added to the converter's. */
    private static Path shippedPluginPath() {
        Path plugins = Path.of(System.getProperty("tidemark.shipped.plugin.path"));
        Path converterLib = plugins.resolve("tidemark-apicurio-converter-" + VERSION).resolve("lib");
        assertThat(converterLib).as("the converter archive, unzipped by the build").isDirectory();
        writeResolverOnlyJar(converterLib.resolve("test-in-memory-resolver.jar"));
        return plugins;
    }

    @Test
    void eachConnectorClassIsListedOnceAtItsOwnPluginsVersion() throws Exception {
        Map<String, List<String>> versions = pluginVersions("connector-plugins?connectorsOnly=true");
        System.out.println("connector plugins by class and version: " + versions);
        assertThat(versions).containsEntry("io.tidemark.source.TidemarkOracleConnector", List.of(VERSION))
                .containsEntry("io.tidemark.source.TidemarkPostgresConnector", List.of(VERSION))
                .containsEntry("io.tidemark.sink.PostgresSinkConnector", List.of(VERSION))
                // Debezium's own plugin keeps its class; the Tidemark archive re-exports none.
                .containsEntry("io.debezium.connector.postgresql.PostgresConnector", List.of(DEBEZIUM_PLAIN_VERSION))
                .doesNotContainKey("io.debezium.connector.oracle.OracleConnector");
    }

    @Test
    void theConverterIsFoundThroughTheManifestsOfItsArchive() throws Exception {
        Map<String, List<String>> versions = pluginVersions("connector-plugins?connectorsOnly=false");
        assertThat(versions.get(AvroConverters.CONVERTER_CLASS)).as("Apicurio's AvroConverter on a service_load worker")
                .hasSize(1);
        assertThat(PLUGINS.resolve("tidemark-apicurio-converter-" + VERSION).resolve("connect-plugin-path-shim-1.0.0.jar"))
                .as("the manifests sync-manifests wrote at build time").exists();
    }

    /**
     * Every discovery mode a worker may be configured with (Kafka 4.3's default is hybrid_warn) lists
     * the same plugins from Tidemark's archives, and among the connectors Tidemark's at Tidemark's
     * version and Debezium's only from Debezium's own plugin. hybrid_fail refuses to start if a scan
     * finds a plugin that the archives' manifests do not name.
     */
    @Test
    void everyDiscoveryModeListsTheSamePluginsAndEachConnectorOnce() {
        Map<String, List<String>> byMode = new TreeMap<>();
        for (String mode : List.of("service_load", "only_scan", "hybrid_warn", "hybrid_fail")) {
            Map<String, String> props = new HashMap<>();
            props.put("plugin.path", PLUGINS.toString());
            props.put("plugin.discovery", mode);
            Plugins plugins = new Plugins(props);
            assertThat(fromPluginPath(plugins.connectors())).as(mode).containsExactlyInAnyOrder(
                    "io.tidemark.source.TidemarkOracleConnector@" + VERSION,
                    "io.tidemark.source.TidemarkPostgresConnector@" + VERSION,
                    "io.tidemark.sink.PostgresSinkConnector@" + VERSION,
                    "io.debezium.connector.postgresql.PostgresConnector@" + DEBEZIUM_PLAIN_VERSION);
            assertThat(fromPluginPath(plugins.converters())).as(mode + ": Apicurio's converter, once")
                    .filteredOn(c -> c.startsWith(AvroConverters.CONVERTER_CLASS + "@")).hasSize(1);
            List<String> all = new ArrayList<>();
            for (Collection<? extends PluginDesc<?>> descs : List.<Collection<? extends PluginDesc<?>>>of(plugins.connectors(), plugins.converters(),
                    plugins.headerConverters(), plugins.transformations(), plugins.predicates())) {
                descs.stream().filter(d -> d.location().contains("/tidemark-"))
                        .forEach(d -> all.add(d.typeName() + " " + d.className() + "@" + d.version() + " from " + d.location()));
            }
            byMode.put(mode, all.stream().sorted().toList());
        }
        System.out.println("plugins from Tidemark's archives: " + byMode.get("service_load"));
        byMode.forEach((mode, plugins) -> assertThat(plugins).as(mode + " lists what service_load lists")
                .containsExactlyElementsOf(byMode.get("service_load")));
    }

    /** Like a worker's classpath, the tests' holds no connector of Debezium's or Tidemark's: only plugin.path brings them. */
    @Test
    void theTestClasspathHoldsNoDebeziumOrTidemarkConnector() {
        Plugins plugins = new Plugins(Map.of("plugin.discovery", "only_scan"));
        List<String> classpath = new ArrayList<>();
        plugins.connectors().forEach(d -> classpath.add(d.className()));
        assertThat(classpath).noneMatch(c -> c.startsWith("io.debezium.") || c.startsWith("io.tidemark."));
    }

    /** class@version of each plugin the worker found on plugin.path. */
    private static List<String> fromPluginPath(Iterable<? extends PluginDesc<?>> descs) {
        List<String> found = new ArrayList<>();
        for (PluginDesc<?> d : descs) {
            if (!"classpath".equals(d.location())) {
                found.add(d.className() + "@" + d.version());
            }
        }
        return found;
    }

    @Test
    @Order(1)
    void theAvroConnectorsRunOnTheShippedLayout() {
        source.execute("CREATE TABLE public.orders (id bigint PRIMARY KEY, amount numeric(12,2), note text)",
                "INSERT INTO public.orders VALUES (1, 10.50, 'first'), (2, -0.01, NULL)");
        String topic = "layout.public.orders";
        cluster.createTopic(topic, 1);
        Map<String, String> src = sourceConfig();
        src.putAll(AvroConverters.connectorConfig());
        cluster.startConnector("layout-source", src, 1);
        Map<String, String> sink = new HashMap<>();
        sink.put("connector.class", "io.tidemark.sink.PostgresSinkConnector");
        sink.put("topics", topic);
        sink.put("connection.url", target.jdbcUrl());
        sink.put("connection.user", target.user());
        sink.put("connection.password", target.password());
        sink.put("project.name", "layout");
        sink.put("source.type", "postgresql");
        sink.putAll(AvroConverters.connectorConfig());
        cluster.startConnector("layout-sink", sink, 1);
        source.execute("INSERT INTO public.orders VALUES (3, 7.00, 'streamed')");
        await("the rows through Avro").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(target.rowsAsText("SELECT id::text, amount::text, coalesce(note, '-') FROM public.orders ORDER BY id"))
                        .containsExactly("1|10.50|first", "2|-0.01|-", "3|7.00|streamed"));
    }

    /**
     * The plugins' own metrics reach Prometheus through the shipped JMX exporter rules
     * (config/strimzi/connect-metrics.yaml): every attribute of the MBeans the workers registered for
     * the Avro pipeline's tasks ({@code kafka.connect:type=plugins,…}), formatted and matched as the
     * exporter does, becomes kafka_connect_plugins_&lt;metric&gt; with its connector and task.
     */
    @Test
    @Order(2)
    void thePluginMetricsMatchTheShippedExporterRules() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName plugins = new ObjectName("kafka.connect:type=plugins,*");
        await("the plugin metrics of the source and the sink task").atMost(Duration.ofSeconds(60))
                .until(() -> server.queryNames(plugins, null).stream().map(n -> n.getKeyProperty("connector")).distinct().count() >= 2);
        List<ExporterRules.Rule> rules = ExporterRules.read(Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
                .getParent().resolve("config/strimzi/connect-metrics.yaml"));
        int checked = 0;
        for (ObjectName name : server.queryNames(plugins, null)) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                Object value = server.getAttribute(name, attribute.getName());
                ExporterRules.Sample sample = ExporterRules.sample(rules, name, attribute.getName(), value);
                assertThat(sample).as(name + " " + attribute.getName() + " matches a rule").isNotNull();
                assertThat(sample.name()).as(name + " " + attribute.getName())
                        .isEqualTo("kafka_connect_plugins_" + attribute.getName().replace('-', '_'));
                assertThat(sample.labels()).containsEntry("connector", name.getKeyProperty("connector"))
                        .containsEntry("task", name.getKeyProperty("task"));
                checked++;
            }
        }
        System.out.println("plugin metric attributes matched by the shipped rules: " + checked);
        assertThat(checked).isGreaterThanOrEqualTo(4);
    }

    private static Map<String, String> sourceConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.tidemark.source.TidemarkPostgresConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", source.host());
        config.put("database.port", Integer.toString(source.port()));
        config.put("database.user", source.user());
        config.put("database.password", source.password());
        config.put("database.dbname", source.name());
        config.put("topic.prefix", "layout");
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", (source.name() + "_layout").replaceAll("[^a-z0-9_]", "_"));
        config.put("slot.drop.on.stop", "true");
        config.put("publication.name", (source.name() + "_layout_pub").replaceAll("[^a-z0-9_]", "_"));
        config.put("publication.autocreate.mode", "filtered");
        config.put("table.include.list", "public.orders");
        config.put("iteration.schema", "tidemark_layout");
        config.put("iteration.interval.ms", "1000");
        config.put("iteration.admin.bootstrap.servers", cluster.bootstrapServers());
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        return config;
    }

    /** Class name → the versions the worker lists it at, from {@code GET /<resource>}. */
    private static Map<String, List<String>> pluginVersions(String resource) throws IOException {
        String body = cluster.connect().requestGet(cluster.connect().endpointForResource(resource)).getEntity().toString();
        Map<String, List<String>> versions = new HashMap<>();
        for (JsonNode plugin : new ObjectMapper().readTree(body)) {
            versions.computeIfAbsent(plugin.get("class").asText(), k -> new ArrayList<>()).add(plugin.path("version").asText());
        }
        return versions;
    }

    /** testkit-avro's classes as one jar, without the META-INF/services entries that jar also carries. */
    private static void writeResolverOnlyJar(Path jar) {
        try {
            Path location = Path.of(InMemorySchemaResolver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (FileSystem zip = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location);
                 OutputStream out = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(out)) {
                Path root = zip == null ? location : zip.getPath("/");
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String name = root.relativize(f).toString().replace('\\', '/');
                        if (name.startsWith("io/tidemark/testkit/avro/")) {
                            z.putNextEntry(new ZipEntry(name));
                            Files.copy(f, z);
                            z.closeEntry();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

}
