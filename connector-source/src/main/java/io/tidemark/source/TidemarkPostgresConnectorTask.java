package io.tidemark.source;

import java.util.List;

import org.apache.kafka.connect.source.SourceRecord;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;

/** Debezium's PostgreSQL task; each polled batch passes through the marker fan-out and the JSON float watch. */
public class TidemarkPostgresConnectorTask extends PostgresConnectorTask {

    private final IterationTaskSupport iterations = new IterationTaskSupport(new PostgresFlavor());

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(Configuration config) {
        ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> coordinator = super.start(config);
        iterations.start(config, this::getSchema, () -> coordinator.getStreamingSource().isPresent(),
                context == null ? null : context.pluginMetrics());
        return coordinator;
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
