package io.tidemark.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A connector as the repository ships it: {@code config/connectors/<project>/<name>.json}, the body
 * of {@code PUT /connectors/<name>/config}, sent as it is (its placeholders are the worker's
 * config providers' to resolve).
 */
public record ConnectorFile(String name, Map<String, String> config, Path file) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String connectorClass() {
        return config.get("connector.class");
    }

    /** The connector class's simple name: the plugin's name in Connect's REST API ({@code /connector-plugins/{plugin}}). */
    public String plugin() {
        String c = connectorClass();
        return c.substring(c.lastIndexOf('.') + 1);
    }

    public boolean isSource() {
        return connectorClass().startsWith("io.tidemark.source.");
    }

    public int tasks() {
        return Integer.parseInt(config.getOrDefault("tasks.max", "1"));
    }

    /** The project's files, sources first. */
    public static List<ConnectorFile> project(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(ConnectorFile::read)
                    .sorted(Comparator.comparing((ConnectorFile f) -> !f.isSource()).thenComparing(ConnectorFile::name))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ConnectorFile read(Path file) {
        String fileName = file.getFileName().toString();
        try {
            Map<String, String> config = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, String>>() { });
            return new ConnectorFile(fileName.substring(0, fileName.length() - ".json".length()), config, file);
        } catch (IOException e) {
            throw new QuickstartException("cannot read the connector file " + file + ": " + e.getMessage());
        }
    }
}
