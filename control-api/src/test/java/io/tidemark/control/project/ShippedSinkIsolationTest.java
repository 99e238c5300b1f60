package io.tidemark.control.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Every sink configuration the repository ships reads committed records only: the shipped worker
 * enables exactly-once source support, so a source transaction it aborts is still in the topic,
 * and a sink reading uncommitted records would apply it (and apply it again when the source
 * replays it). Found by the connector class, wherever the file is (config/, docker/).
 */
class ShippedSinkIsolationTest {

    private static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final String SINK_CLASS = "io.tidemark.sink.PostgresSinkConnector";
    private static final String ISOLATION = "consumer.override.isolation.level";

    private static List<Path> sinkFiles() {
        try (Stream<Path> paths = Stream.concat(Files.walk(REPO.resolve("config")), Files.walk(REPO.resolve("docker")))) {
            return paths.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(json|ya?ml)"))
                    .filter(p -> read(p).contains(SINK_CLASS)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(Path file) throws IOException {
        boolean json = file.toString().endsWith(".json");
        JsonNode node = new ObjectMapper(json ? null : new YAMLFactory()).readTree(file.toFile());
        node = json ? node : node.path("spec").path("config"); // Strimzi's KafkaConnector
        return node.has("config") ? node.get("config") : node; // the REST API's {"name", "config"} form
    }

    @Test
    void everyShippedSinkReadsCommittedRecordsOnly() throws IOException {
        List<Path> files = sinkFiles();
        assertThat(files).as("the shipped sink configurations").hasSizeGreaterThanOrEqualTo(4);
        for (Path file : files) {
            assertThat(parse(file).path(ISOLATION).asText()).as(REPO.relativize(file) + " sets " + ISOLATION)
                    .isEqualTo("read_committed");
        }
    }

    @Test
    void theShippedWorkersLetConnectorsSetIt() throws IOException {
        Properties worker = new Properties();
        try (var in = Files.newBufferedReader(REPO.resolve("config/worker/connect-distributed.properties"))) {
            worker.load(in);
        }
        assertThat(worker.getProperty("connector.client.config.override.allowlist")).contains("isolation.level");
        assertThat(read(REPO.resolve("config/strimzi/kafka-connect.yaml")))
                .containsPattern("connector.client.config.override.allowlist: .*isolation.level");
    }
}
