package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import io.debezium.config.Configuration;
import io.debezium.config.Field;
import io.debezium.connector.oracle.OracleConnectorConfig;
import io.tidemark.source.oracle.CapturedColumnCheck;
import io.tidemark.source.oracle.OracleSettings;

/** What docs/oracle.md and docs/types.md tell an Oracle user, held against Debezium's own classes. */
class OracleDocsTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z0-9._]+)` \\|([^|]*)\\|");
    private static final Pattern VALUE = Pattern.compile("`([^`]+)`");

    /** Debezium's Oracle settings docs/oracle.md recommends, each with every value it offers. */
    private static Map<String, List<String>> recommendedSettings() {
        String doc = ShippedOracleConfigs.text(ShippedOracleConfigs.REPO.resolve("docs/oracle.md"));
        String heading = "### Recommended Debezium settings";
        if (doc.contains(heading)) {
            String section = doc.substring(doc.indexOf(heading) + heading.length());
            doc = section.contains("\n#") ? section.substring(0, section.indexOf("\n#")) : section;
        }
        Map<String, List<String>> settings = new LinkedHashMap<>();
        Matcher row = ROW.matcher(doc);
        while (row.find()) {
            if (OracleConnectorConfig.ALL_FIELDS.fieldWithName(row.group(1)) == null) {
                continue;
            }
            List<String> values = new ArrayList<>();
            Matcher value = VALUE.matcher(row.group(2));
            while (value.find()) {
                values.add(value.group(1));
            }
            settings.put(row.group(1), values);
        }
        return settings;
    }

    /** Every combination of the offered values. */
    private static List<Map<String, String>> combinations(Map<String, List<String>> settings) {
        List<Map<String, String>> combinations = new ArrayList<>(List.of(new LinkedHashMap<>()));
        settings.forEach((key, values) -> {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> combination : combinations) {
                for (String value : values) {
                    Map<String, String> extended = new LinkedHashMap<>(combination);
                    extended.put(key, value);
                    next.add(extended);
                }
            }
            combinations.clear();
            combinations.addAll(next);
        });
        return combinations;
    }

    @Test
    void everyCombinationOfTheRecommendedSettingsPassesDebeziumsValidation() {
        Map<String, List<String>> settings = recommendedSettings();
        assertThat(settings).containsKeys("decimal.handling.mode", "lob.enabled", "log.mining.strategy",
                "schema.history.internal.store.only.captured.tables.ddl");
        Field.Set fields = Field.setOf(settings.keySet().stream().map(OracleConnectorConfig.ALL_FIELDS::fieldWithName).toList());
        for (Map<String, String> combination : combinations(settings)) {
            Map<String, List<String>> errors = new LinkedHashMap<>();
            for (ConfigValue value : Configuration.from(combination).validate(fields).values()) {
                if (!value.errorMessages().isEmpty()) {
                    errors.put(value.name(), value.errorMessages());
                }
            }
            assertThat(errors).as("docs/oracle.md recommends " + combination).isEmpty();
            Map<String, String> withUser = new LinkedHashMap<>(combination);
            withUser.putAll(Map.of("database.user", "c##dbzuser", "iteration.schema", "c##dbzuser"));
            assertThat(OracleSettings.problems(withUser)).as("Tidemark's checks of " + combination).isEmpty();
        }
    }

    /** Debezium 3.6's Oracle documentation, "Unsupported data types": their values are lost. */
    private static final Set<String> NOT_CARRIED = CapturedColumnCheck.NOT_CARRIED;

    @Test
    void typesDocNamesNoTypeDebeziumDoesNotCarryAsMappedAndListsThemAll() {
        String doc = ShippedOracleConfigs.text(ShippedOracleConfigs.REPO.resolve("docs/types.md"));
        String mapping = doc.substring(doc.indexOf("## Mapping"), doc.indexOf("## What is lost"));
        // The second cell of a mapping row names the source types, Oracle's in upper case.
        List<String> mappedAsSource = new ArrayList<>();
        mapping.lines().filter(line -> line.startsWith("| ")).forEach(line -> {
            String[] cells = line.split("\\|");
            Matcher value = VALUE.matcher(cells.length > 2 ? cells[2] : "");
            while (value.find()) {
                if (NOT_CARRIED.contains(value.group(1))) {
                    mappedAsSource.add(value.group(1) + " in: " + line);
                }
            }
        });
        assertThat(mappedAsSource).as("Oracle types docs/types.md maps although Debezium does not carry them").isEmpty();
        String notCarried = doc.substring(doc.indexOf("### Oracle types Debezium does not carry"));
        assertThat(notCarried).as("docs/types.md, Oracle types Debezium does not carry")
                .contains(NOT_CARRIED.stream().map(t -> "`" + t + "`").toList());
    }
}
