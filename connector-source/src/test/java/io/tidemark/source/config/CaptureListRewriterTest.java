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

import io.debezium.relational.TableId;
import io.debezium.util.Strings;
import io.tidemark.source.config.CaptureListRewriter.Result;
import io.tidemark.source.marker.MarkerTables;

class CaptureListRewriterTest {

    private static final MarkerTables PG = new MarkerTables("tidemark", "tidemark_iteration", "tidemark_iteration_seq",
            "tidemark_iteration_request");
    private static final MarkerTables ORACLE = new MarkerTables("C##DBZUSER", "TIDEMARK_ITERATION",
            "TIDEMARK_ITERATION_SEQ", "TIDEMARK_ITERATION_REQUEST");

    private static TableId table(String schema, String table) {
        return new TableId(null, schema, table);
    }

    @Test
    void appendsTheMarkerTableToAnIncludeList() {
        Result result = CaptureListRewriter.rewrite(Map.of(TABLE_INCLUDE, "public.orders,public.items"), PG);
        assertThat(result.ok()).isTrue();
        assertThat(result.props().get(TABLE_INCLUDE)).isEqualTo("public.orders,public.items,tidemark\\.tidemark_iteration");
        assertThat(CaptureListRewriter.captures(result.props(), table("tidemark", "tidemark_iteration"))).isTrue();
        assertThat(CaptureListRewriter.captures(result.props(), table("tidemark", "tidemark_iteration_request"))).isFalse();
        assertThat(CaptureListRewriter.captures(result.props(), table("public", "orders"))).isTrue();
    }

    @Test
    void leavesAnIncludeListThatAlreadyMatchesTheMarkerTable() {
        Result result = CaptureListRewriter.rewrite(Map.of(TABLE_INCLUDE, "public.orders,tidemark.tidemark_iteration"), PG);
        assertThat(result.props().get(TABLE_INCLUDE)).isEqualTo("public.orders,tidemark.tidemark_iteration");
    }

    @Test
    void addsTheMarkerSchemaToASchemaIncludeList() {
        Result result = CaptureListRewriter.rewrite(Map.of(SCHEMA_INCLUDE, "INVENTORY"), ORACLE);
        assertThat(result.ok()).isTrue();
        assertThat(result.props().get(SCHEMA_INCLUDE)).isEqualTo("INVENTORY,C##DBZUSER");
        // The whole marker schema is now captured but for the request table.
        assertThat(result.props().get(TABLE_EXCLUDE)).isEqualTo("C##DBZUSER\\.TIDEMARK_ITERATION_REQUEST");
        assertThat(CaptureListRewriter.captures(result.props(), table("C##DBZUSER", "TIDEMARK_ITERATION"))).isTrue();
        assertThat(CaptureListRewriter.captures(result.props(), table("C##DBZUSER", "TIDEMARK_ITERATION_REQUEST"))).isFalse();
        assertThat(CaptureListRewriter.captures(result.props(), table("INVENTORY", "CUSTOMERS"))).isTrue();
    }

    @Test
    void excludesTheRequestTableWhenEverythingIsCaptured() {
        Result result = CaptureListRewriter.rewrite(Map.of(), PG);
        assertThat(result.ok()).isTrue();
        assertThat(result.props().get(TABLE_EXCLUDE)).isEqualTo("tidemark\\.tidemark_iteration_request");
        assertThat(result.props()).doesNotContainKey(TABLE_INCLUDE);
    }

    @Test
    void anExcludeListThatNamesTheMarkerTableIsAnError() {
        Result result = CaptureListRewriter.rewrite(Map.of(TABLE_EXCLUDE, "tidemark\\..*"), PG);
        assertThat(result.problems()).extracting(ConfigProblem::key).contains(TABLE_EXCLUDE);
        assertThat(CaptureListRewriter.rewrite(Map.of(SCHEMA_EXCLUDE, "tidemark"), PG).problems())
                .extracting(ConfigProblem::key).contains(SCHEMA_EXCLUDE);
    }

    @Test
    void anIncludeListThatMatchesTheRequestTableIsAnError() {
        Result result = CaptureListRewriter.rewrite(Map.of(TABLE_INCLUDE, "public.orders,tidemark\\..*"), PG);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo(TABLE_INCLUDE);
            assertThat(p.message()).contains("tidemark.tidemark_iteration_request");
        });
    }

    @Test
    void skippingInsertsIsAnError() {
        assertThat(CaptureListRewriter.rewrite(Map.of(SKIPPED_OPERATIONS, "t, c"), PG).problems())
                .extracting(ConfigProblem::key).containsExactly(SKIPPED_OPERATIONS);
        assertThat(CaptureListRewriter.rewrite(Map.of(SKIPPED_OPERATIONS, "t,u"), PG).ok()).isTrue();
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
    void theSnapshotLeavesOutTheMarkerTableInEveryForm() {
        Map<String, String> pg = CaptureListRewriter.rewrite(Map.of(), PG).props();
        assertThat(snapshotted(pg, "tidemark.tidemark_iteration", "\"tidemark\".\"tidemark_iteration\"")).isFalse();
        assertThat(snapshotted(pg, "public.orders")).isTrue();
        assertThat(snapshotted(pg, "tidemark.tidemark_iteration_old")).isTrue();
        assertThat(snapshotted(pg, "other_tidemark.tidemark_iteration")).isTrue();

        Map<String, String> oracle = CaptureListRewriter.rewrite(Map.of(), ORACLE).props();
        assertThat(snapshotted(oracle, "FREEPDB1.C##DBZUSER.TIDEMARK_ITERATION",
                "\"FREEPDB1\".\"C##DBZUSER\".\"TIDEMARK_ITERATION\"")).isFalse();
        assertThat(snapshotted(oracle, "FREEPDB1.INVENTORY.CUSTOMERS")).isTrue();
    }

    @Test
    void aConfiguredSnapshotListKeepsItsMeaningWithoutTheMarkerTable() {
        Map<String, String> props = CaptureListRewriter.rewrite(
                Map.of(SNAPSHOT_INCLUDE, "public\\.orders,tidemark\\..*,public\\.x{1\\,3}"), PG).props();
        assertThat(snapshotted(props, "public.orders")).isTrue();
        assertThat(snapshotted(props, "public.xx")).isTrue();
        assertThat(snapshotted(props, "public.items")).isFalse();
        assertThat(snapshotted(props, "tidemark.other")).isTrue();
        assertThat(snapshotted(props, "tidemark.tidemark_iteration")).isFalse();
    }
}
