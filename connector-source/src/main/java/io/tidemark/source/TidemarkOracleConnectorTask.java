package io.tidemark.source;

import java.util.List;

import org.apache.kafka.connect.source.SourceRecord;

import io.debezium.bean.StandardBeanNames;
import io.debezium.config.CommonConnectorConfig;
import io.debezium.config.Configuration;
import io.debezium.connector.common.CdcSourceTaskContext;
import io.debezium.connector.oracle.OracleConnectorTask;
import io.debezium.connector.oracle.OracleDatabaseSchema;
import io.debezium.connector.oracle.OracleOffsetContext;
import io.debezium.connector.oracle.OraclePartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import io.debezium.service.spi.ServiceRegistry;

/** Debezium's Oracle task; each polled batch passes through the marker fan-out and the JSON float watch. */
public class TidemarkOracleConnectorTask extends OracleConnectorTask {

    private final IterationTaskSupport iterations = new IterationTaskSupport(new OracleFlavor());
    private CommonConnectorConfig connectorConfig;
    private ServiceRegistry services;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public CdcSourceTaskContext<? extends CommonConnectorConfig> preStart(Configuration config) {
        CdcSourceTaskContext<? extends CommonConnectorConfig> context = super.preStart(config);
        connectorConfig = context.getConfig();
        return context;
    }

    @Override
    public ChangeEventSourceCoordinator<OraclePartition, OracleOffsetContext> start(Configuration config) {
        ChangeEventSourceCoordinator<OraclePartition, OracleOffsetContext> coordinator = super.start(config);
        // The Oracle task keeps its schema private; it registers it in its connector config's bean registry.
        iterations.start(config, () -> connectorConfig.getBeanRegistry()
                .lookupByName(StandardBeanNames.DATABASE_SCHEMA, OracleDatabaseSchema.class),
                DebeziumStreaming.of(coordinator, services), context == null ? null : context.pluginMetrics());
        return coordinator;
    }

    /** Keeps the registry Debezium's start uses: its snapshotter says whether the task will stream. */
    @Override
    protected void registerServiceProviders(ServiceRegistry serviceRegistry) {
        super.registerServiceProviders(serviceRegistry);
        services = serviceRegistry;
    }

    @Override
    public List<SourceRecord> doPoll() throws InterruptedException {
        return iterations.process(super.doPoll());
    }

    @Override
    public void doStop() {
        iterations.stop();
        super.doStop();
    }
}
