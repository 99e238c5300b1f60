package io.tidemark.source;

import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

import io.debezium.connector.postgresql.PostgresConnector;

/**
 * Debezium's PostgreSQL connector with iteration-boundary markers. Every Debezium option works as
 * documented by Debezium; the {@code iteration.*} keys add the markers (docs/source.md). Tidemark
 * migrates from Oracle; this flavour runs the same marker logic against PostgreSQL, which is how the
 * pipeline is tested end to end without Oracle.
 */
public class TidemarkPostgresConnector extends PostgresConnector {

    private final IterationConnectorSupport iterations = new IterationConnectorSupport(new PostgresFlavor());

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public Class<? extends Task> taskClass() {
        return TidemarkPostgresConnectorTask.class;
    }

    @Override
    public void start(Map<String, String> props) {
        super.start(iterations.prepare(props));
    }

    @Override
    public ConfigDef config() {
        return iterations.config(super.config());
    }

    @Override
    public Config validate(Map<String, String> props) {
        return iterations.validate(props, super.validate(props));
    }
}
