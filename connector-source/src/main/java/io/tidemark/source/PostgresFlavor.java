package io.tidemark.source;

import java.sql.Connection;
import java.sql.SQLException;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnector;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.tidemark.source.marker.MarkerDialect;
import io.tidemark.source.marker.PostgresMarkerDialect;

final class PostgresFlavor implements SourceFlavor {

    private final MarkerDialect dialect = new PostgresMarkerDialect();

    @Override
    public MarkerDialect dialect() {
        return dialect;
    }

    @Override
    public Class<PostgresConnector> debeziumConnector() {
        return PostgresConnector.class;
    }

    @Override
    public PostgresConnectorConfig connectorConfig(Configuration config) {
        return new PostgresConnectorConfig(config);
    }

    @Override
    public Connection connect(Configuration config) throws SQLException {
        // Debezium's connection class, so that every database.* setting (SSL, driver options) applies as it does for Debezium.
        return new PostgresConnection(connectorConfig(config).getJdbcConfig(), "tidemark-marker").connection();
    }
}
