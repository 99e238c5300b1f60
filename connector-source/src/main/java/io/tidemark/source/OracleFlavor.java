package io.tidemark.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.debezium.config.Configuration;
import io.debezium.connector.oracle.OracleConnector;
import io.debezium.connector.oracle.OracleConnection;
import io.debezium.connector.oracle.OracleConnectorConfig;
import io.debezium.util.Strings;
import io.tidemark.source.config.ConfigProblem;
import io.tidemark.source.marker.MarkerDialect;
import io.tidemark.source.marker.OracleMarkerDialect;

final class OracleFlavor implements SourceFlavor {

    private final MarkerDialect dialect = new OracleMarkerDialect();

    @Override
    public MarkerDialect dialect() {
        return dialect;
    }

    @Override
    public Class<OracleConnector> debeziumConnector() {
        return OracleConnector.class;
    }

    @Override
    public OracleConnectorConfig connectorConfig(Configuration config) {
        return new OracleConnectorConfig(config);
    }

    /** The marker rows are written by the connector's user: LogMiner must not filter that user out. */
    @Override
    public List<ConfigProblem> configProblems(Map<String, String> props) {
        String user = props.get(OracleConnectorConfig.USER.name());
        if (user == null || user.isBlank()) {
            return List.of();
        }
        String upperUser = user.trim().toUpperCase(Locale.ROOT);
        String excludeKey = OracleConnectorConfig.LOG_MINING_USERNAME_EXCLUDE_LIST.name();
        String includeKey = OracleConnectorConfig.LOG_MINING_USERNAME_INCLUDE_LIST.name();
        List<ConfigProblem> problems = new ArrayList<>();
        if (upperNames(props.get(excludeKey)).contains(upperUser)) {
            problems.add(new ConfigProblem(excludeKey, "must not name the connector's user " + user
                    + ": it writes the marker rows, which LogMiner must see"));
        }
        Set<String> included = upperNames(props.get(includeKey));
        if (!included.isEmpty() && !included.contains(upperUser)) {
            problems.add(new ConfigProblem(includeKey, "must include the connector's user " + user
                    + ": it writes the marker rows, which LogMiner must see"));
        }
        return problems;
    }

    private static Set<String> upperNames(String list) {
        Set<String> names = new HashSet<>();
        if (list != null) {
            for (String name : list.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    @Override
    public Connection connect(Configuration config) throws SQLException {
        OracleConnectorConfig connectorConfig = connectorConfig(config);
        OracleConnection connection = new OracleConnection(connectorConfig, false);
        // With a CDB, Debezium logs in to the root and switches to the PDB, where the captured tables (and the marker table) are.
        if (!Strings.isNullOrEmpty(connectorConfig.getPdbName())) {
            connection.setSessionToPdb(connectorConfig.getPdbName());
        }
        return connection.connection();
    }
}
