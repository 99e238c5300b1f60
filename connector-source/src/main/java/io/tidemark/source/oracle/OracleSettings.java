package io.tidemark.source.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.config.CommonConnectorConfig.EventProcessingFailureHandlingMode;
import io.debezium.config.Configuration;
import io.debezium.connector.oracle.OracleConnectorConfig;
import io.debezium.connector.oracle.OracleConnectorConfig.ConnectorAdapter;
import io.debezium.connector.oracle.OracleConnectorConfig.LogMiningQueryFilterMode;
import io.debezium.connector.oracle.OracleConnectorConfig.TransactionSnapshotBoundaryMode;
import io.debezium.relational.RelationalDatabaseConnectorConfig;
import io.debezium.util.Strings;
import io.tidemark.source.config.ConfigProblem;
import io.tidemark.source.config.IterationConfig;

/**
 * The Debezium Oracle settings a migration with iteration markers cannot run with, because
 * LogMiner would never show the marker rows or Debezium would drop changes without failing (each
 * a problem naming the key and the fix), and the settings Tidemark sets itself. Values are read
 * through Debezium's own {@link OracleConnectorConfig}, so they mean here what they mean to Debezium
 * (docs/oracle.md lists them, with the Debezium code behind each).
 */
public final class OracleSettings {

    /** LogMiner does not capture a table (or column) whose name is longer (Debezium warns at streaming start, and only then). */
    static final int LOGMINER_MAX_NAME_LENGTH = 30;

    public static final String BOUNDARY_MODE = OracleConnectorConfig.LOG_MINING_TRANSACTION_SNAPSHOT_BOUNDARY_MODE.name();

    private OracleSettings() {
    }

    /**
     * What Tidemark sets unless the user did: a snapshot boundary that captures transactions open at
     * the snapshot SCN whole. Debezium's internal default ({@code skip}) captures neither their
     * changes before the snapshot SCN (uncommitted, so not in the flashback query) nor those changes
     * from the redo, so iteration 0 would miss part of them.
     */
    public static Map<String, String> defaults(Map<String, String> props) {
        ConnectorAdapter adapter = ConnectorAdapter.parse(props.get(OracleConnectorConfig.CONNECTOR_ADAPTER.name()));
        boolean logMiner = adapter == ConnectorAdapter.LOG_MINER || adapter == ConnectorAdapter.LOG_MINER_UNBUFFERED;
        return logMiner ? Map.of(BOUNDARY_MODE, TransactionSnapshotBoundaryMode.ALL.getValue()) : Map.of();
    }

    /** What in these connector properties would hide the marker rows from LogMiner or lose changes. */
    public static List<ConfigProblem> problems(Map<String, String> props) {
        OracleConnectorConfig config;
        try {
            config = new OracleConnectorConfig(Configuration.from(props));
        } catch (RuntimeException e) {
            return List.of(); // Debezium's own validation names the value it cannot read
        }
        List<ConfigProblem> problems = new ArrayList<>();
        usernameFilters(props, config, problems);
        clientIdFilters(config, problems);
        markerNames(props, config, problems);
        discardedChanges(props, config, problems);
        return problems;
    }

    /** The marker rows are written by the connector's user: LogMiner must not filter that user out. */
    private static void usernameFilters(Map<String, String> props, OracleConnectorConfig config, List<ConfigProblem> problems) {
        String user = props.get(OracleConnectorConfig.USER.name());
        if (user == null || user.isBlank()) {
            return;
        }
        String stored = user.trim().toUpperCase(Locale.ROOT); // an unquoted user name, as Oracle stores it
        String excludeKey = OracleConnectorConfig.LOG_MINING_USERNAME_EXCLUDE_LIST.name();
        String includeKey = OracleConnectorConfig.LOG_MINING_USERNAME_INCLUDE_LIST.name();
        // In LogMiner's query (query filter modes in and regex) Debezium compares in upper case: any case excludes.
        if (upper(config.getLogMiningUsernameExcludes()).contains(stored)) {
            problems.add(new ConfigProblem(excludeKey, "must not name the connector's user " + stored
                    + ": it writes the marker rows, which LogMiner must see. Remove it from the list"));
        }
        Set<String> included = config.getLogMiningUsernameIncludes();
        if (!included.isEmpty() && !included.contains(stored)) {
            // Debezium's Java-side filter compares the list as written with LogMiner's USERNAME, stored in upper case.
            problems.add(new ConfigProblem(includeKey, upper(included).contains(stored)
                    ? "names the connector's user in lower case, but Debezium compares this list as written with LogMiner's"
                    + " USERNAME, which Oracle stores in upper case: the marker rows (and every change of that user) would be"
                    + " skipped. Write " + stored + " in upper case"
                    : "must include the connector's user " + stored + " (in upper case, as Oracle stores it): it writes the"
                    + " marker rows, which LogMiner must see"));
        }
    }

    /**
     * The marker session sets no client identifier. In LogMiner's query (query filter modes in and
     * regex) Debezium compares {@code UPPER(CLIENT_ID)} with the list, which a null never passes,
     * include list or exclude list alike.
     */
    private static void clientIdFilters(OracleConnectorConfig config, List<ConfigProblem> problems) {
        if (config.getLogMiningQueryFilterMode() == LogMiningQueryFilterMode.NONE) {
            return;
        }
        String why = " with log.mining.query.filter.mode=" + config.getLogMiningQueryFilterMode().getValue()
                + ", LogMiner's query drops every change of a session without a client identifier, and the marker rows"
                + " are written by such a session. Remove the list, or set log.mining.query.filter.mode=none";
        if (!config.getLogMiningClientIdIncludes().isEmpty()) {
            problems.add(new ConfigProblem(OracleConnectorConfig.LOG_MINING_CLIENTID_INCLUDE_LIST.name(), "cannot be used:" + why));
        }
        if (!config.getLogMiningClientIdExcludes().isEmpty()) {
            problems.add(new ConfigProblem(OracleConnectorConfig.LOG_MINING_CLIENTID_EXCLUDE_LIST.name(), "cannot be used:" + why));
        }
    }

    private static void markerNames(Map<String, String> props, OracleConnectorConfig config, List<ConfigProblem> problems) {
        String table = new IterationConfig(props).table();
        if (table.length() > LOGMINER_MAX_NAME_LENGTH) {
            problems.add(new ConfigProblem(IterationConfig.TABLE, "is " + table.length() + " characters long: LogMiner does"
                    + " not capture a table whose name is longer than " + LOGMINER_MAX_NAME_LENGTH + ", so no marker would"
                    + " ever arrive. Choose a shorter name"));
        }
        String schema = props.get(IterationConfig.SCHEMA);
        if (schema != null && schema.contains("$") && !Strings.isNullOrBlank(config.schemaIncludeList())
                && config.getLogMiningQueryFilterMode() == LogMiningQueryFilterMode.IN) {
            problems.add(new ConfigProblem(IterationConfig.SCHEMA, "contains '$', which Debezium cannot match both ways with"
                    + " log.mining.query.filter.mode=in and a schema.include.list: its filter reads the list as regular"
                    + " expressions ('$' escaped), LogMiner's query as names (no escape). Choose a schema without '$'"));
        }
    }

    private static void discardedChanges(Map<String, String> props, OracleConnectorConfig config, List<ConfigProblem> problems) {
        if (!config.getLogMiningTransactionRetention().isZero()) {
            problems.add(new ConfigProblem(OracleConnectorConfig.LOG_MINING_TRANSACTION_RETENTION_MS.name(), "must be 0 (the"
                    + " default): Debezium discards a transaction that stays open longer, and a migration must not lose it"));
        }
        if (config.getLogMiningBufferTransactionEventsThreshold() > 0) {
            problems.add(new ConfigProblem(OracleConnectorConfig.LOG_MINING_BUFFER_TRANSACTION_EVENTS_THRESHOLD.name(), "must"
                    + " be 0 (the default): Debezium discards a transaction with more events, and a migration must not lose it"));
        }
        EventProcessingFailureHandlingMode failures = config.getEventProcessingFailureHandlingMode();
        if (failures != null && failures != EventProcessingFailureHandlingMode.FAIL) {
            problems.add(new ConfigProblem(CommonConnectorConfig.EVENT_PROCESSING_FAILURE_HANDLING_MODE.name(), "must be fail"
                    + " (the default): with " + failures.getValue() + " Debezium goes on without an event it cannot process,"
                    + " and the change is lost in the target"));
        }
        if (config.getDecimalMode() != RelationalDatabaseConnectorConfig.DecimalHandlingMode.PRECISE.asDecimalMode()) {
            problems.add(new ConfigProblem(RelationalDatabaseConnectorConfig.DECIMAL_HANDLING_MODE.name(), "must be precise"
                    + " (the default): with " + props.get(RelationalDatabaseConnectorConfig.DECIMAL_HANDLING_MODE.name())
                    + " Debezium sends NUMBER columns as text or doubles, so the target gets text or rounded double"
                    + " precision columns instead of exact integers and numerics (docs/types.md)"));
        }
        if (TransactionSnapshotBoundaryMode.parse(props.get(BOUNDARY_MODE)) == TransactionSnapshotBoundaryMode.SKIP) {
            problems.add(new ConfigProblem(BOUNDARY_MODE, "must not be skip: transactions open at the snapshot SCN would be"
                    + " captured in part only. Leave it unset (Tidemark sets all)"));
        }
    }

    private static Set<String> upper(Set<String> names) {
        return Set.copyOf(names.stream().map(n -> n.toUpperCase(Locale.ROOT)).toList());
    }
}
