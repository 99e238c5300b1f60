package io.tidemark.control.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * {@code verify --repair} asks Debezium for an incremental snapshot through the signal table the source
 * connector names in {@code signal.data.collection} (docs/verification.md): every source configuration the
 * repository ships names one, and captures it (its table filter takes the signal table, so its inserts
 * reach Debezium).
 */
class ShippedSourceSignalsTest {

    private static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();

    static List<Path> sources() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(REPO.resolve("config"))) {
            files.filter(f -> f.getFileName().toString().matches(".*-source\\.(json|yaml)")).sorted().forEach(out::add);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void everyShippedSourceNamesTheSignalTableAndCapturesIt(Path file) throws IOException {
        Map<String, String> config = config(file);
        String signal = config.get("signal.data.collection");
        assertThat(signal).as(REPO.relativize(file) + ": signal.data.collection (the table --repair writes to)").isNotBlank();
        // PostgreSQL names it schema.table, Oracle database.schema.table; the filter sees schema.table.
        String[] parts = signal.split("\\.");
        String captured = parts[parts.length - 2] + "." + parts[parts.length - 1];
        assertThat(Arrays.stream(config.get("table.include.list").split(","))
                .anyMatch(p -> Pattern.compile(p.trim(), Pattern.CASE_INSENSITIVE).matcher(captured).matches()))
                .as(REPO.relativize(file) + ": table.include.list takes the signal table " + captured).isTrue();
    }

    private static Map<String, String> config(Path file) throws IOException {
        boolean yaml = file.toString().endsWith(".yaml");
        JsonNode root = new ObjectMapper(yaml ? new YAMLFactory() : null).readTree(file.toFile());
        JsonNode config = yaml ? root.path("spec").path("config") : root;
        Map<String, String> out = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()
                // ${env:...} placeholders stand for a name: any word matches where the filter has one too
                .replaceAll("\\$\\{env:TIDEMARK_DEMO_ORACLE_SCHEMA}", "DEMO")
                .replaceAll("\\$\\{env:[A-Z_]+}", "X").toLowerCase(Locale.ROOT)));
        return out;
    }
}
