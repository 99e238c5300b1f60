package io.tidemark.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Every Oracle source configuration the repository ships, found where a user would take one from:
 * the connector files of {@code config/} (among them the quickstart's Oracle demo), the Strimzi
 * resources, and the examples in {@code docs/} and the README. Placeholders are resolved the way
 * the worker would, with stand-in values: {@code ${file:…}} secrets, and the quickstart's
 * {@code ${env:TIDEMARK_DEMO_ORACLE_*}} with the defaults of its Oracle demo.
 */
final class ShippedOracleConfigs {

    static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    static final String ORACLE_CONNECTOR = TidemarkOracleConnector.class.getName();

    /** The quickstart's Oracle demo environment with its defaults (quickstart's OracleDemoSource.VARIABLES). */
    private static final Map<String, String> QUICKSTART_ENV = Map.of(
            "TIDEMARK_DEMO_ORACLE_HOST", "oracle.example.com", "TIDEMARK_DEMO_ORACLE_PORT", "1521",
            "TIDEMARK_DEMO_ORACLE_DATABASE", "FREE", "TIDEMARK_DEMO_ORACLE_PDB", "FREEPDB1",
            "TIDEMARK_DEMO_ORACLE_USER", "c##dbzuser", "TIDEMARK_DEMO_ORACLE_PASSWORD", "secret",
            "TIDEMARK_DEMO_ORACLE_SCHEMA", "SHOP", "TIDEMARK_DEMO_KAFKA", "127.0.0.1:9092");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(file|env):([^}]*)}");
    private static final Pattern JSON_BLOCK = Pattern.compile("(?s)```json\\n(.*?)```");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One configuration and where it came from (a path relative to the repository). */
    record Shipped(String origin, Map<String, String> props) {
        @Override
        public String toString() {
            return origin;
        }
    }

    private ShippedOracleConfigs() {
    }

    static List<Shipped> all() {
        List<Shipped> found = new ArrayList<>();
        for (Path file : files("config", ".json")) {
            Map<String, String> props = flat(read(JSON, file));
            if (ORACLE_CONNECTOR.equals(props.get("connector.class"))) {
                found.add(new Shipped(origin(file), resolve(props)));
            }
        }
        for (Path file : files("config", ".yaml")) {
            JsonNode resource = read(YAML, file);
            if ("KafkaConnector".equals(resource.path("kind").asText())
                    && ORACLE_CONNECTOR.equals(resource.at("/spec/class").asText())) {
                Map<String, String> props = flat(resource.at("/spec/config"));
                props.put("connector.class", ORACLE_CONNECTOR);
                found.add(new Shipped(origin(file), resolve(props)));
            }
        }
        List<Path> docs = new ArrayList<>(files("docs", ".md"));
        docs.add(REPO.resolve("README.md"));
        for (Path doc : docs) {
            Matcher block = JSON_BLOCK.matcher(text(doc));
            for (int n = 1; block.find(); n++) {
                if (block.group(1).contains(ORACLE_CONNECTOR)) {
                    found.add(new Shipped(origin(doc) + " (JSON block " + n + ")", resolve(flat(parse(block.group(1), doc)))));
                }
            }
        }
        return found;
    }

    private static Map<String, String> resolve(Map<String, String> props) {
        Map<String, String> resolved = new LinkedHashMap<>();
        props.forEach((key, value) -> {
            Matcher m = PLACEHOLDER.matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String replacement = m.group(1).equals("file") ? "secret" : QUICKSTART_ENV.get(m.group(2));
                if (replacement == null) {
                    throw new IllegalStateException(key + " names " + m.group() + ", which this test does not know");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            resolved.put(key, out.toString());
        });
        return resolved;
    }

    private static Map<String, String> flat(JsonNode object) {
        Map<String, String> props = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        return props;
    }

    private static List<Path> files(String dir, String suffix) {
        try (Stream<Path> paths = Files.walk(REPO.resolve(dir))) {
            return paths.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String origin(Path file) {
        return REPO.relativize(file).toString();
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String json, Path doc) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON block of " + doc + " does not parse: " + e.getMessage(), e);
        }
    }
}
