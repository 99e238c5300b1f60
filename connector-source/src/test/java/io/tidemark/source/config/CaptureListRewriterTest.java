package io.tidemark.source.config;

import static io.tidemark.source.config.CaptureListRewriter.SCHEMA_EXCLUDE;
import static io.tidemark.source.config.CaptureListRewriter.SCHEMA_INCLUDE;
import static io.tidemark.source.config.CaptureListRewriter.SKIPPED_OPERATIONS;
import static io.tidemark.source.config.CaptureListRewriter.SNAPSHOT_INCLUDE;
import static io.tidemark.source.config.CaptureListRewriter.TABLE_EXCLUDE;
import static io.tidemark.source.config.CaptureListRewriter.TABLE_INCLUDE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.debezium.config.Configuration;
import io.debezium.connector.oracle.OracleConnectorConfig;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.relational.TableId;
import io.debezium.util.Strings;
import io.tidemark.source.config.CaptureListRewriter.Result;
import io.tidemark.source.marker.MarkerTables;

/** The capture lists adjusted for the marker tables, judged by Debezium's own connector configurations and filters. */
class CaptureListRewriterTest {

    private static final CaptureListRewriter FOR_PG = new CaptureListRewriter(
            props -> new PostgresConnectorConfig(Configuration.from(props)).getTableFilters().dataCollectionFilter());
    private static final CaptureListRewriter FOR_ORACLE = new CaptureListRewriter(
            props -> new OracleConnectorConfig(Configuration.from(props)).getTableFilters().dataCollectionFilter());

    private static final MarkerTables PG = new MarkerTables("tidemark", "tidemark_iteration", "tidemark_iteration_seq",
            "tidemark_iteration_request");
    private static final MarkerTables ORACLE = new MarkerTables("C##DBZUSER", "TIDEMARK_ITERATION",
            "TIDEMARK_ITERATION_SEQ", "TIDEMARK_ITERATION_REQUEST");

    private static TableId table(String schema, String table) {
        return new TableId(null, schema, table);
    }

    @Test
    void appendsTheMarkerTableToAnIncludeList() {
        Result result = FOR_PG.rewrite(Map.of(TABLE_INCLUDE, "public.orders,public.items"), PG);
        assertThat(result.ok()).isTrue();
        assertThat(result.props().get(TABLE_INCLUDE)).isEqualTo("public.orders,public.items,tidemark\\.tidemark_iteration");
        assertThat(FOR_PG.captures(result.props(), table("tidemark", "tidemark_iteration"))).isTrue();
        assertThat(FOR_PG.captures(result.props(), table("tidemark", "tidemark_iteration_request"))).isFalse();
        assertThat(FOR_PG.captures(result.props(), table("public", "orders"))).isTrue();
    }

    @Test
    void leavesAnIncludeListThatAlreadyMatchesTheMarkerTable() {
        Result result = FOR_PG.rewrite(Map.of(TABLE_INCLUDE, "public.orders,tidemark.tidemark_iteration"), PG);
        assertThat(result.props().get(TABLE_INCLUDE)).isEqualTo("public.orders,tidemark.tidemark_iteration");
    }

    @Test
    void addsTheMarkerSchemaToASchemaIncludeList() {
        Result result = FOR_ORACLE.rewrite(Map.of(SCHEMA_INCLUDE, "INVENTORY"), ORACLE);
        assertThat(result.ok()).isTrue();
        assertThat(result.props().get(SCHEMA_INCLUDE)).isEqualTo("INVENTORY,C##DBZUSER");
        // The whole marker schema is now captured but for the request table.
        assertThat(result.props().get(TABLE_EXCLUDE)).isEqualTo("C##DBZUSER\\.TIDEMARK_ITERATION_REQUEST");
        assertThat(FOR_ORACLE.captures(result.props(), table("C##DBZUSER", "TIDEMARK_ITERATION"))).isTrue();
        assertThat(FOR_ORACLE.captures(result.props(), table("C##DBZUSER", "TIDEMARK_ITERATION_REQUEST"))).isFalse();
        assertThat(FOR_ORACLE.captures(result.props(), table("INVENTORY", "CUSTOMERS"))).isTrue();
    }

    @Test
    void excludesTheRequestTableWhenEverythingIsCaptured() {
        Result result = FOR_PG.rewrite(Map.of(), PG);
        assertThat(result.ok()).isTrue();
        assertThat(result.props().get(TABLE_EXCLUDE)).isEqualTo("tidemark\\.tidemark_iteration_request");
        assertThat(result.props()).doesNotContainKey(TABLE_INCLUDE);
    }

    @Test
    void anExcludeListThatNamesTheMarkerTableIsAnError() {
        Result result = FOR_PG.rewrite(Map.of(TABLE_EXCLUDE, "tidemark\\..*"), PG);
        assertThat(result.problems()).extracting(ConfigProblem::key).contains(TABLE_EXCLUDE);
        assertThat(FOR_PG.rewrite(Map.of(SCHEMA_EXCLUDE, "tidemark"), PG).problems())
                .extracting(ConfigProblem::key).contains(SCHEMA_EXCLUDE);
    }

    @Test
    void anIncludeListThatMatchesTheRequestTableIsAnError() {
        Result result = FOR_PG.rewrite(Map.of(TABLE_INCLUDE, "public.orders,tidemark\\..*"), PG);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo(TABLE_INCLUDE);
            assertThat(p.message()).contains("tidemark.tidemark_iteration_request");
        });
    }

    @Test
    void skippingInsertsIsAnError() {
        assertThat(FOR_PG.rewrite(Map.of(SKIPPED_OPERATIONS, "t, c"), PG).problems())
                .extracting(ConfigProblem::key).containsExactly(SKIPPED_OPERATIONS);
        assertThat(FOR_PG.rewrite(Map.of(SKIPPED_OPERATIONS, "t,u"), PG).ok()).isTrue();
    }

    // Debezium matches snapshot.include.collection.list case-insensitively against "schema.table"
    // (PostgreSQL), "database.schema.table" (Oracle) and their double-quoted forms.
    private static boolean snapshotted(Map<String, String> props, String... forms) {
        Set<Pattern> patterns = Strings.setOfRegex(props.get(SNAPSHOT_INCLUDE), Pattern.CASE_INSENSITIVE);
        for (String form : forms) {
            if (patterns.stream().anyMatch(p -> p.matcher(form).matches())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theSnapshotTakesTheMarkerTableLikeAnyCapturedTable() {
        assertThat(FOR_PG.rewrite(Map.of(), PG).props()).doesNotContainKey(SNAPSHOT_INCLUDE);
        assertThat(FOR_ORACLE.rewrite(Map.of(TABLE_INCLUDE, "SHOP\\..*"), ORACLE).props()).doesNotContainKey(SNAPSHOT_INCLUDE);
    }

    @Test
    void aConfiguredSnapshotListKeepsItsMeaningAndGetsTheMarkerTable() {
        Map<String, String> props = FOR_PG.rewrite(
                Map.of(SNAPSHOT_INCLUDE, "public\\.orders,public\\.x+"), PG).props();
        assertThat(props.get(SNAPSHOT_INCLUDE)).startsWith("public\\.orders,public\\.x+,");
        assertThat(snapshotted(props, "public.orders")).isTrue();
        assertThat(snapshotted(props, "public.xx")).isTrue();
        assertThat(snapshotted(props, "public.items")).isFalse();
        assertThat(snapshotted(props, "tidemark.tidemark_iteration")).isTrue();

        Map<String, String> oracle = FOR_ORACLE.rewrite(Map.of(SNAPSHOT_INCLUDE, "FREEPDB1\\.SHOP\\.ORDERS"), ORACLE).props();
        assertThat(snapshotted(oracle, "FREEPDB1.C##DBZUSER.TIDEMARK_ITERATION")).isTrue();
        assertThat(snapshotted(oracle, "FREEPDB1.C##DBZUSER.TIDEMARK_ITERATION_REQUEST")).isFalse();
        assertThat(snapshotted(oracle, "FREEPDB1.SHOP.CUSTOMERS")).isFalse();
        assertThat(FOR_ORACLE.rewrite(oracle, ORACLE).props().get(SNAPSHOT_INCLUDE)).as("rewriting twice changes nothing")
                .isEqualTo(oracle.get(SNAPSHOT_INCLUDE));
    }

    @Test
    void aMarkerSchemaDebeziumLeavesOutIsAnError() {
        MarkerTables inSystem = new MarkerTables("SYSTEM", "TIDEMARK_ITERATION", "TIDEMARK_ITERATION_SEQ", "TIDEMARK_ITERATION_REQUEST");
        assertThat(FOR_ORACLE.rewrite(Map.of(TABLE_INCLUDE, "SHOP\\..*"), inSystem).problems())
                .extracting(ConfigProblem::key).containsExactly(CaptureListRewriter.MARKER_SCHEMA);
    }
}
