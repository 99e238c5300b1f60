package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.debezium.config.Configuration;
import io.debezium.connector.oracle.OracleConnectorConfig;
import io.debezium.relational.RelationalTableFilters;
import io.debezium.relational.TableId;
import io.debezium.util.Strings;
import io.tidemark.source.ShippedOracleConfigs.Shipped;

/**
 * Every Oracle source configuration the repository ships, as Debezium runs it (the task
 * configuration {@link IterationConnectorSupport#taskProps} makes), read with Debezium's own
 * configuration and filter classes. No Oracle database runs here: the tables are a stand-in
 * catalog of a captured table in each schema the configurations name, the marker table and the
 * request table.
 */
class ShippedOracleConfigsTest {

    static List<Shipped> configs() {
        return ShippedOracleConfigs.all();
    }

    @Test
    void everyShippedOracleConfigIsChecked() {
        assertThat(configs()).extracting(Shipped::origin).contains("config/connectors/erp/erp-source.json",
                "config/strimzi/erp-source.yaml", "config/connectors/demo-oracle/demo-oracle-source.json",
                "docs/source.md (JSON block 1)");
    }

    /**
     * What Debezium's initial snapshot does with these tables ({@code RelationalSnapshotChangeEventSource
     * .determineCapturedTables}, {@code OracleSnapshotChangeEventSource.readTableStructure}): it reads the
     * structure of the schemas of the snapshotted tables only, when the schema history keeps the
     * captured tables only, and then records the structure of every table its schema filter takes.
     * A table recorded but never read fails the snapshot: "Unable to find relational table model".
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void theInitialSnapshotReadsTheStructureOfEveryTableItRecords(Shipped shipped) {
        Map<String, String> task = new IterationConnectorSupport(new OracleFlavor()).taskProps(shipped.props());
        OracleConnectorConfig config = new OracleConnectorConfig(Configuration.from(task));
        RelationalTableFilters filters = config.getTableFilters();
        String catalog = Strings.isNullOrEmpty(config.getPdbName()) ? config.getDatabaseName() : config.getPdbName();
        String markerSchema = task.get("iteration.schema").toUpperCase(java.util.Locale.ROOT);
        Set<TableId> all = new LinkedHashSet<>();
        for (String table : List.of("SHOP.ORDERS", "SHOP.CUSTOMERS", "SALES.ORDERS", "SALES.ORDER_LINES",
                markerSchema + ".TIDEMARK_ITERATION", markerSchema + ".TIDEMARK_ITERATION_REQUEST",
                markerSchema + "." + task.getOrDefault("iteration.table", "").toUpperCase(java.util.Locale.ROOT))) {
            String[] parts = table.split("\\.");
            if (parts.length == 2) {
                all.add(new TableId(catalog, parts[0], parts[1]));
            }
        }

        Set<Pattern> snapshotPatterns = config.getDataCollectionsToBeSnapshotted().stream()
                .flatMap(list -> Strings.setOfRegex(list, Pattern.CASE_INSENSITIVE).stream()).collect(Collectors.toSet());
        Set<TableId> captured = all.stream()
                .filter(id -> snapshotPatterns.isEmpty() || snapshotPatterns.stream().anyMatch(p -> p.matcher(id.identifier()).matches()
                        || p.matcher(id.toDoubleQuotedString()).matches()))
                .filter(filters.dataCollectionFilter()::isIncluded)
                .collect(Collectors.toSet());
        Set<TableId> recorded = all.stream().filter(filters.eligibleForSchemaDataCollectionFilter()::isIncluded)
                .collect(Collectors.toSet());
        Set<String> readSchemas = (config.storeOnlyCapturedTables() ? captured : recorded).stream()
                .map(TableId::schema).collect(Collectors.toSet());
        Set<TableId> read = all.stream().filter(id -> readSchemas.contains(id.schema()))
                .filter(id -> !config.storeOnlyCapturedTables() || filters.dataCollectionFilter().isIncluded(id))
                .collect(Collectors.toSet());

        assertThat(captured).as("tables the snapshot reads").isNotEmpty();
        assertThat(recorded).as("the marker table's structure is recorded")
                .anyMatch(id -> id.schema().equals(markerSchema) && filters.dataCollectionFilter().isIncluded(id));
        assertThat(read).as("tables whose structure the snapshot reads (schemas " + readSchemas + ")").containsAll(recorded);
    }
}
