package io.tidemark.source.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.debezium.config.Configuration;
import io.debezium.connector.oracle.OracleConnectorConfig;
import io.debezium.relational.Table;
import io.tidemark.source.oracle.CapturedColumnCheck.CatalogColumn;

/**
 * The columns whose values would not reach the target, named at connector start. Which types those
 * are is Debezium's: its DDL parser and value converters, run here on a table of each type.
 */
class CapturedColumnCheckTest {

    private static CapturedColumnCheck check(String... keyValues) {
        Map<String, String> props = new java.util.HashMap<>(Map.of("table.include.list", "SHOP\\..*"));
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        OracleConnectorConfig config = new OracleConnectorConfig(Configuration.from(props));
        return new CapturedColumnCheck(config.getTableFilters().dataCollectionFilter(), "FREEPDB1", config.isLobEnabled());
    }

    @Test
    void namesTheColumnsDebeziumDoesNotCarryInCapturedTablesOnly() {
        List<String> warnings = check("lob.enabled", "true").warnings(List.of(
                new CatalogColumn("SHOP", "ORDERS", "PAID", "BOOLEAN"),
                new CatalogColumn("SHOP", "ORDERS", "NOTES", "LONG"),
                new CatalogColumn("SHOP", "ORDERS", "BODY", "CLOB"),
                new CatalogColumn("HR", "EMP", "ACTIVE", "BOOLEAN")));
        assertThat(warnings).singleElement().asString()
                .startsWith("Captured table SHOP.ORDERS has columns of types Debezium's Oracle connector does not carry:"
                        + " PAID BOOLEAN, NOTES LONG.")
                .doesNotContain("HR.EMP");
    }

    @Test
    void namesLobColumnsWhileLobsAreOff() {
        assertThat(check("lob.enabled", "false").warnings(List.of(new CatalogColumn("SHOP", "DOCS", "BODY", "CLOB"))))
                .singleElement().asString().contains("BODY CLOB").contains("lob.enabled=true");
        assertThat(check("lob.enabled", "true").warnings(List.of(new CatalogColumn("SHOP", "DOCS", "BODY", "CLOB")))).isEmpty();
    }

    @Test
    void namesTablesLogMinerDoesNotCaptureForTheirNamesLength() {
        assertThat(check().warnings(List.of(
                new CatalogColumn("SHOP", "CUSTOMER_LOYALTY_PROGRAM_MEMBERS", "ID", "NUMBER"),
                new CatalogColumn("SHOP", "ORDERS", "DELIVERY_INSTRUCTIONS_FOR_THE_COURIER", "VARCHAR2"))))
                .hasSize(2).allSatisfy(w -> assertThat(w).contains("longer than 30 characters"));
    }

    private static Table tableWith(String type) {
        return DebeziumOracleColumns.parse("CREATE TABLE SHOP.T (ID NUMBER(9) PRIMARY KEY, C " + type + ")", "FREEPDB1", "SHOP", "T");
    }

    /** Debezium's DDL parser knows these types but its value converters have no schema for them: the column is left out. */
    @ParameterizedTest
    @ValueSource(strings = {"BOOLEAN", "LONG", "UROWID", "BFILE"})
    void debeziumLeavesOutTheColumn(String type) {
        assertThat(CapturedColumnCheck.NOT_CARRIED).contains(type);
        Table table = tableWith(type);
        DebeziumOracleColumns debezium = new DebeziumOracleColumns(Map.of());
        assertThat(debezium.schema(table.columnWithName("ID"))).isNotNull();
        assertThat(debezium.schema(table.columnWithName("C"))).as(type + " as Debezium's value converters see it").isNull();
    }

    /** A table with one of these types stops Debezium's DDL parser (the DDL LogMiner mines when the table changes). */
    @ParameterizedTest
    @ValueSource(strings = {"LONG RAW", "VECTOR(3, FLOAT32)"})
    void debeziumCannotParseTheTable(String type) {
        assertThat(CapturedColumnCheck.NOT_CARRIED).contains(type.replaceAll("\\(.*", ""));
        assertThatThrownBy(() -> tableWith(type)).as("Debezium's OracleDdlParser on a " + type + " column").isNotNull();
    }
}
