package io.tidemark.source;

import java.util.List;

import org.apache.kafka.connect.source.SourceRecord;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import io.debezium.service.spi.ServiceRegistry;

/** Debezium's PostgreSQL task; each polled batch passes through the marker fan-out and the JSON float watch. */
public class TidemarkPostgresConnectorTask extends PostgresConnectorTask {

    private final IterationTaskSupport iterations = new IterationTaskSupport(new PostgresFlavor());
    private ServiceRegistry services;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(Configuration config) {
        ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> coordinator = super.start(config);
        iterations.start(config, this::getSchema, DebeziumStreaming.of(coordinator, services),
                context == null ? null : context.pluginMetrics());
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
    protected void doStop() {
        iterations.stop();
        super.doStop();
    }
}
