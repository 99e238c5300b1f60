package io.tidemark.control.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

/**
 * Project descriptors: references resolve through Kafka's config providers, unknown keys are refused
 * with their name, the shipped JSON Schema says what the loader accepts, and records that hold a
 * password do not print it.
 */
class ProjectDescriptorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void connectorFiles() throws IOException {
        Files.writeString(dir.resolve("source.json"), """
                {"connector.class": "io.tidemark.source.TidemarkPostgresConnector", "topic.prefix": "shop",
                 "iteration.schema": "tidemark_shop", "database.hostname": "127.0.0.1", "database.port": "1",
                 "database.user": "u", "database.password": "p", "database.dbname": "x"}""");
        Files.writeString(dir.resolve("sink.json"), """
                {"connector.class": "io.tidemark.sink.PostgresSinkConnector", "topics": "shop.public.x",
                 "connection.url": "jdbc:postgresql://127.0.0.1:1/none", "connection.user": "u",
                 "connection.password": "p"}""");
    }

    private Project load(String descriptorBody, Map<String, String> env) throws IOException {
        Path file = dir.resolve("project.json");
        Files.writeString(file, "{\"name\": \"shop\", \"source\": {\"name\": \"shop-source\", \"config\": \"source.json\"},"
                + " \"sink\": {\"name\": \"shop-sink\", \"config\": \"sink.json\"}, " + descriptorBody + "}");
        return new ProjectFiles(new Secrets(env)).load(file);
    }

    @Test
    void referencesResolveThroughKafkasConfigProviders() throws Exception {
        Files.writeString(dir.resolve("secrets.properties"), "target.password=from-a-properties-file\n");
        Files.createDirectories(dir.resolve("mounted"));
        Files.writeString(dir.resolve("mounted/connect-password"), "from-a-mounted-file");
        Project p = load("""
                "connect": {"urls": ["${env:CONNECT_URL}"], "username": "${vault:connect:user}",
                            "password": "${directory:%s:connect-password}"},
                "targetDatabase": {"password": "${file:%s:target.password}"},
                "configProviders": {"vault": {"class": "io.tidemark.control.project.TestConfigProvider",
                                              "params": {"connect.user": "from-a-provider-class"}}}
                """.formatted(dir.resolve("mounted"), dir.resolve("secrets.properties")),
                Map.of("CONNECT_URL", "http://connect:8083/"));
        assertThat(p.connect().urls()).hasToString("[http://connect:8083]");
        assertThat(p.connect().username()).isEqualTo("from-a-provider-class");
        assertThat(p.connect().password()).isEqualTo("from-a-mounted-file");
        assertThat(p.targetDatabase().password()).isEqualTo("from-a-properties-file");
    }

    @Test
    void aReferenceThatDoesNotResolveIsNamedWithWhatItMeans() {
        assertThatThrownBy(() -> load("\"connect\": {\"urls\": [\"http://c:8083\"], \"password\": \"${file:connect.txt}\"}",
                Map.of())).isInstanceOf(ProjectException.class)
                .hasMessageContaining("connect.password: ${file:connect.txt} does not resolve")
                .hasMessageContaining("${file:PATH:KEY} reads KEY of the properties file PATH");
        assertThatThrownBy(() -> load("\"connect\": {\"urls\": [\"${env:NOPE}\"]}", Map.of()))
                .isInstanceOf(ProjectException.class).hasMessageContaining("environment variable NOPE is not set");
        assertThatThrownBy(() -> load("\"connect\": {\"urls\": [\"http://c:8083\"]}, \"configProviders\": {\"vault\": "
                + "{\"class\": \"com.example.NoSuchProvider\"}}", Map.of())).isInstanceOf(ProjectException.class)
                .hasMessageContaining("configProviders.vault.class com.example.NoSuchProvider is not on the class path");
    }

    @Test
    void unknownKeysAreRefusedWithTheirName() {
        assertThatThrownBy(() -> load("\"connect\": {\"urls\": [\"http://c:8083\"]}, \"waitSecond\": 10", Map.of()))
                .isInstanceOf(ProjectException.class).hasMessageContaining("unknown key 'waitSecond'")
                .hasMessageContaining("waitSeconds");
        assertThatThrownBy(() -> load("\"connect\": {\"urls\": [\"http://c:8083\"], \"timeout\": 5}", Map.of()))
                .isInstanceOf(ProjectException.class).hasMessageContaining("unknown key 'connect.timeout'")
                .hasMessageContaining("timeoutSeconds");
    }

    @Test
    void strimziNamesAKubeconfigContextOnlyWithAKubeconfig() throws Exception {
        Project p = load("\"connect\": {\"urls\": [\"http://c:8083\"]}, \"strimzi\": {\"namespace\": \"kafka\", "
                + "\"kubeconfig\": \"kubeconfig\", \"context\": \"prod-eu\"}", Map.of());
        assertThat(p.strimzi()).isEqualTo(new StrimziSettings("kafka", dir.resolve("kubeconfig"), "prod-eu"));
        assertThatThrownBy(() -> load("\"connect\": {\"urls\": [\"http://c:8083\"]}, \"strimzi\": {\"context\": "
                + "\"prod-eu\"}", Map.of())).isInstanceOf(ProjectException.class)
                .hasMessageContaining("strimzi.context names a context of strimzi.kubeconfig, which is not set");
    }

    @Test
    void recordsHoldingTheConnectPasswordDoNotPrintIt() throws Exception {
        Project p = load("\"connect\": {\"urls\": [\"http://c:8083\"], \"password\": \"${env:PW}\"}, "
                + "\"kafka\": {\"sasl.jaas.config\": \"${env:JAAS}\"}", Map.of("PW", "connect-s3cret",
                "JAAS", "PlainLoginModule required password=\"kafka-s3cret\";"));
        assertThat(p.connect().password()).isEqualTo("connect-s3cret");
        assertThat(p.connect().toString()).doesNotContain("connect-s3cret").contains("password=(hidden)");
        assertThat(p.toString()).doesNotContain("connect-s3cret", "kafka-s3cret").contains("sasl.jaas.config");
        assertThat(p.sink().toString()).doesNotContain("connection.password");
    }

    @Test
    void theShippedSchemaAcceptsTheShippedDescriptorsAndNamesTheKeysTheLoaderTakes() throws Exception {
        JsonNode schema = JSON.readTree(ProjectFiles.class.getResourceAsStream("project.schema.json"));
        var validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        List<Path> descriptors = new ArrayList<>();
        Path repo = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        try (Stream<Path> files = Files.walk(repo.resolve("config/projects"))) {
            files.filter(f -> f.getFileName().toString().equals("project.json")).forEach(descriptors::add);
        }
        descriptors.add(Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/projects/shop/project.json"));
        assertThat(descriptors).hasSizeGreaterThanOrEqualTo(4);
        for (Path d : descriptors) {
            assertThat(validator.validate(JSON.readTree(d.toFile()))).as(d.toString()).isEmpty();
        }
        assertThat(validator.validate(JSON.readTree("{\"connect\": {\"urls\": [\"x\"]}, \"source\": {\"name\": \"a\","
                + " \"config\": \"a.json\"}, \"sink\": {\"name\": \"b\", \"config\": \"b.json\"}, \"waitSecond\": 1}")))
                .as("an unknown key").isNotEmpty();
        // The schema's keys are the loader's, object by object.
        assertThat(keys(schema.path("properties"))).isEqualTo(new TreeSet<>(DescriptorKeys.OBJECTS.get("")));
        assertThat(keys(schema.path("properties").path("connect").path("properties")))
                .isEqualTo(new TreeSet<>(DescriptorKeys.OBJECTS.get("connect")));
        assertThat(keys(schema.path("$defs").path("connector").path("properties")))
                .isEqualTo(new TreeSet<>(DescriptorKeys.OBJECTS.get("source")));
        assertThat(keys(schema.path("$defs").path("database").path("properties")))
                .isEqualTo(new TreeSet<>(DescriptorKeys.OBJECTS.get("targetDatabase")));
        assertThat(keys(schema.path("properties").path("strimzi").path("properties")))
                .isEqualTo(new TreeSet<>(DescriptorKeys.OBJECTS.get("strimzi")));
        assertThat(keys(schema.path("properties").path("configProviders").path("additionalProperties")
                .path("properties"))).isEqualTo(new TreeSet<>(DescriptorKeys.OBJECTS.get("configProviders.*")));
        assertThat(Duration.ofSeconds(schema.path("properties").path("waitSeconds").path("default").asLong()))
                .isEqualTo(Duration.ofSeconds(120));
    }

    private static Set<String> keys(JsonNode properties) {
        Set<String> keys = new TreeSet<>();
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }
}
