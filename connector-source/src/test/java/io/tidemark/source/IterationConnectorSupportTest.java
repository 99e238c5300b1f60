package io.tidemark.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import io.debezium.config.Configuration;
import io.debezium.connector.oracle.OracleConnectorConfig;
import io.debezium.connector.oracle.OracleConnectorConfig.TransactionSnapshotBoundaryMode;

/** The connector side without a database: what validate reports and the configuration the tasks run with. */
class IterationConnectorSupportTest {

    private final IterationConnectorSupport oracle = new IterationConnectorSupport(new OracleFlavor());

    private static Map<String, String> erp(String... keyValues) {
        Map<String, String> props = new HashMap<>(Map.of("connector.class", TidemarkOracleConnector.class.getName(),
                "database.hostname", "oracle", "database.user", "c##dbzuser", "database.dbname", "FREE",
                "database.pdb.name", "FREEPDB1", "topic.prefix", "erp", "table.include.list", "SHOP\\..*",
                "schema.history.internal.kafka.bootstrap.servers", "kafka:9092",
                "schema.history.internal.kafka.topic", "erp.schema-history", "iteration.schema", "c##dbzuser"));
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private Map<String, List<String>> errors(Map<String, String> props) {
        Config config = oracle.validate(props, new Config(List.of()));
        Map<String, List<String>> errors = new TreeMap<>();
        for (ConfigValue value : config.configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        return errors;
    }

    @Test
    void transactionsOpenAtTheSnapshotScnAreCapturedWhole() {
        String key = OracleConnectorConfig.LOG_MINING_TRANSACTION_SNAPSHOT_BOUNDARY_MODE.name();
        Map<String, String> task = oracle.taskProps(erp());
        assertThat(task).containsEntry(key, "all");
        assertThat(new OracleConnectorConfig(Configuration.from(task)).getLogMiningTransactionSnapshotBoundaryMode())
                .isEqualTo(TransactionSnapshotBoundaryMode.ALL);
        assertThat(oracle.taskProps(erp(key, "transaction_view_only"))).containsEntry(key, "transaction_view_only");
    }

    @Test
    void aMarkerSchemaDebeziumNeverCapturesIsRefused() {
        // Debezium's Oracle filters leave out the schemas Oracle maintains, whatever the lists say.
        assertThat(errors(erp("iteration.schema", "system"))).containsKey("iteration.schema")
                .extractingByKey("iteration.schema").asString().contains("SYSTEM");
        assertThat(errors(erp())).isEmpty();
    }

    @Test
    void aMarkerSchemaWithADollarIsRefusedWhereLogMinersInClauseCannotMatchIt() {
        Map<String, String> props = erp("iteration.schema", "tm$markers", "schema.include.list", "SHOP",
                "table.include.list", "", "log.mining.query.filter.mode", "in");
        assertThat(errors(props)).containsKey("iteration.schema");
        props.put("log.mining.query.filter.mode", "none");
        assertThat(errors(props)).isEmpty();
    }
}
