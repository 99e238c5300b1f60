package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.debezium.config.Configuration;
import io.debezium.connector.oracle.OracleConnectorConfig;
import io.tidemark.source.config.ConfigProblem;

/**
 * The Oracle settings under which LogMiner would never show the marker rows, or Debezium would drop
 * changes without failing: refused, naming the key and the fix. Where the behaviour is Debezium's,
 * the test reads it from Debezium's own {@link OracleConnectorConfig}.
 */
class OracleFlavorTest {

    private final OracleFlavor flavor = new OracleFlavor();

    private static Map<String, String> config(String... keyValues) {
        Map<String, String> props = new HashMap<>(Map.of("database.user", "c##dbzuser", "iteration.schema", "c##dbzuser"));
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private List<String> problemKeys(String... keyValues) {
        return flavor.configProblems(config(keyValues)).stream().map(ConfigProblem::key).toList();
    }

    private String problem(String... keyValues) {
        List<ConfigProblem> problems = flavor.configProblems(config(keyValues));
        assertThat(problems).hasSize(1);
        return problems.get(0).message();
    }

    @Test
    void logMinerMustNotFilterOutTheUserWhoWritesTheMarkerRows() {
        assertThat(problemKeys()).isEmpty();
        assertThat(problemKeys("log.mining.username.exclude.list", "BATCH, C##DBZUSER"))
                .containsExactly("log.mining.username.exclude.list");
        // In LogMiner's SQL Debezium compares upper case, so a lower-case name excludes the user too.
        assertThat(problemKeys("log.mining.username.exclude.list", "batch,c##dbzuser"))
                .containsExactly("log.mining.username.exclude.list");
        assertThat(problemKeys("log.mining.username.include.list", "APP"))
                .containsExactly("log.mining.username.include.list");
        assertThat(problemKeys("log.mining.username.include.list", "APP, C##DBZUSER")).isEmpty();
    }

    @Test
    void aLowerCaseUsernameIncludeListIsRefusedBecauseDebeziumComparesItAsWritten() {
        Map<String, String> props = config("log.mining.username.include.list", "APP,c##dbzuser");
        // Debezium keeps the list as written and compares it with LogMiner's USERNAME, stored in upper case.
        assertThat(new OracleConnectorConfig(Configuration.from(props)).getLogMiningUsernameIncludes())
                .contains("c##dbzuser").doesNotContain("C##DBZUSER");
        assertThat(problem("log.mining.username.include.list", "APP,c##dbzuser"))
                .contains("C##DBZUSER").contains("upper case");
    }

    @Test
    void clientIdListsAreRefusedWhereLogMinersQueryDropsSessionsWithoutOne() {
        assertThat(problem("log.mining.clientid.include.list", "APP", "log.mining.query.filter.mode", "in"))
                .contains("client identifier");
        assertThat(problemKeys("log.mining.clientid.exclude.list", "BATCH", "log.mining.query.filter.mode", "regex"))
                .containsExactly("log.mining.clientid.exclude.list");
        // Without a query filter Debezium skips only events that carry a client identifier.
        assertThat(problemKeys("log.mining.clientid.include.list", "APP")).isEmpty();
    }

    @Test
    void aMarkerTableNameLogMinerDoesNotCaptureIsRefused() {
        assertThat(problemKeys("iteration.table", "tidemark_migration_iteration_boundary")).containsExactly("iteration.table");
        assertThat(problem("iteration.table", "tidemark_migration_iteration_boundary")).contains("longer than 30");
        assertThat(problemKeys("iteration.table", "t".repeat(30))).isEmpty();
    }

    @Test
    void settingsThatDiscardTransactionsAreRefused() {
        assertThat(problem("log.mining.transaction.retention.ms", "3600000")).contains("discard");
        assertThat(problem("log.mining.buffer.transaction.events.threshold", "100000")).contains("discard");
        assertThat(problemKeys("log.mining.transaction.retention.ms", "0",
                "log.mining.buffer.transaction.events.threshold", "0")).isEmpty();
        assertThat(problemKeys("event.processing.failure.handling.mode", "skip"))
                .containsExactly("event.processing.failure.handling.mode");
        assertThat(problemKeys("event.processing.failure.handling.mode", "warn"))
                .containsExactly("event.processing.failure.handling.mode");
    }

    @Test
    void decimalModesOtherThanPreciseAreRefused() {
        assertThat(problem("decimal.handling.mode", "string")).contains("precise");
        assertThat(problemKeys("decimal.handling.mode", "double")).containsExactly("decimal.handling.mode");
        assertThat(problemKeys("decimal.handling.mode", "precise")).isEmpty();
    }

    @Test
    void skippingInProgressTransactionsAtTheSnapshotIsRefused() {
        String key = OracleConnectorConfig.LOG_MINING_TRANSACTION_SNAPSHOT_BOUNDARY_MODE.name();
        assertThat(problemKeys(key, "skip")).containsExactly(key);
        assertThat(problemKeys(key, "all")).isEmpty();
    }
}
