package io.tidemark.it.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The repository's shipped files (config/, docker/), read as the tools that consume them read them. */
final class ShippedFiles {

    static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    static final String VERSION = System.getProperty("tidemark.version", "0.1.0-SNAPSHOT");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ShippedFiles() {
    }

    static Path path(String relative) {
        return REPO.resolve(relative);
    }

    /** Files under a directory of the repository whose names end with {@code suffix}, sorted. */
    static List<Path> files(String dir, String suffix) {
        try (Stream<Path> paths = Files.walk(REPO.resolve(dir))) {
            return paths.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> connectorFile(Path file) {
        try {
            return JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The connector's name: its file's name without {@code .json} (config/connectors/&lt;project&gt;/&lt;name&gt;.json). */
    static String connectorName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    static Properties properties(String relative) {
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(REPO.resolve(relative))) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }
}
