package io.tidemark.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import io.debezium.config.Configuration;
import io.debezium.connector.oracle.OracleConnector;
import io.debezium.connector.oracle.OracleConnection;
import io.debezium.connector.oracle.OracleConnectorConfig;
import io.debezium.util.Strings;
import io.tidemark.source.config.ConfigProblem;
import io.tidemark.source.marker.MarkerDialect;
import io.tidemark.source.marker.OracleMarkerDialect;
import io.tidemark.source.oracle.CapturedColumnCheck;
import io.tidemark.source.oracle.OracleSettings;

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

    @Override
    public List<ConfigProblem> configProblems(Map<String, String> props) {
        return OracleSettings.problems(props);
    }

    @Override
    public Map<String, String> defaults(Map<String, String> props) {
        return OracleSettings.defaults(props);
    }

    @Override
    public List<String> capturedTableWarnings(Connection connection, Map<String, String> taskProps) throws SQLException {
        OracleConnectorConfig config = connectorConfig(Configuration.from(taskProps));
        String catalog = Strings.isNullOrEmpty(config.getPdbName()) ? config.getDatabaseName() : config.getPdbName();
        return new CapturedColumnCheck(config.getTableFilters().dataCollectionFilter(), catalog, config.isLobEnabled())
                .warnings(connection);
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
