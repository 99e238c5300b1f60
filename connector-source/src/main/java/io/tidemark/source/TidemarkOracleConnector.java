package io.tidemark.source;

import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

import io.debezium.connector.oracle.OracleConnector;

/**
 * Debezium's Oracle connector with iteration-boundary markers. An existing Debezium Oracle
 * configuration needs only this class name and the {@code iteration.*} keys (docs/source.md,
 * docs/oracle.md).
 */
public class TidemarkOracleConnector extends OracleConnector {

    private final IterationConnectorSupport iterations = new IterationConnectorSupport(new OracleFlavor());

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public Class<? extends Task> taskClass() {
        return TidemarkOracleConnectorTask.class;
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
