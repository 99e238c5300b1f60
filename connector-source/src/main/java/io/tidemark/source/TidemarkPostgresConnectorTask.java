package io.tidemark.source;

import java.util.List;

import org.apache.kafka.connect.source.SourceRecord;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import io.tidemark.source.converter.NonFiniteFloatWatch;

/** Debezium's PostgreSQL task; each polled batch passes through the marker fan-out and the JSON float watch. */
public class TidemarkPostgresConnectorTask extends PostgresConnectorTask {

    private NonFiniteFloatWatch floats;
    private final IterationTaskSupport iterations = new IterationTaskSupport(new PostgresFlavor());

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(Configuration config) {
        ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> coordinator = super.start(config);
        floats = NonFiniteFloatWatch.start(config.asMap(), context);
        iterations.start(config, this::getSchema, coordinator, context == null ? null : context.pluginMetrics());
        return coordinator;
    }

    @Override
    public List<SourceRecord> doPoll() throws InterruptedException {
        List<SourceRecord> records = iterations.process(super.doPoll());
        return floats == null ? records : floats.inspect(records);
    }

    @Override
    protected void doStop() {
        iterations.stop();
        super.doStop();
    }
}
