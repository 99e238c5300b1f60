package io.tidemark.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.source.SourceConnector;

import io.debezium.config.Configuration;
import io.debezium.relational.RelationalDatabaseConnectorConfig;
import io.debezium.relational.Tables.TableFilter;
import io.tidemark.source.config.ConfigProblem;
import io.tidemark.source.marker.MarkerDialect;

/** What the marker logic needs from one kind of Debezium connector: its dialect, its config, a JDBC connection. */
interface SourceFlavor {

    MarkerDialect dialect();

    /** Debezium's own connector class, which Tidemark's extends. */
    Class<? extends SourceConnector> debeziumConnector();

    RelationalDatabaseConnectorConfig connectorConfig(Configuration config);

    /** The tables Debezium captures under these properties: its own filter, system schemas left out and all. */
    default TableFilter captureFilter(Map<String, String> props) {
        return connectorConfig(Configuration.from(props)).getTableFilters().dataCollectionFilter();
    }

    /** What this kind of source cannot accept in the connector configuration, beyond the capture lists. */
    default List<ConfigProblem> configProblems(Map<String, String> props) {
        return List.of();
    }

    /** Debezium settings Tidemark sets for this kind of source unless the configuration sets them. */
    default Map<String, String> defaults(Map<String, String> props) {
        return Map.of();
    }

    /**
     * Warnings about the captured tables that the catalog shows at connector start: values this
     * kind of source will not carry, naming the columns.
     */
    default List<String> capturedTableWarnings(Connection connection, Map<String, String> taskProps) throws SQLException {
        return List.of();
    }

    /** A connection to the database that holds the captured tables (for Oracle: switched to the PDB). */
    Connection connect(Configuration config) throws SQLException;
}
