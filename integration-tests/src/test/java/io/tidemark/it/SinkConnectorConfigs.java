package io.tidemark.it;

import java.util.HashMap;
import java.util.Map;

import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/** Sink connector configurations as a user would PUT them to Connect's REST API. */
final class SinkConnectorConfigs {

    static final String SINK_CLASS = "io.tidemark.sink.PostgresSinkConnector";
    static final String PROJECT = "it-project";

    private SinkConnectorConfigs() {
    }

    static Map<String, String> sink(PostgresTestDatabase db, String topics, int tasks) {
        return sink(db, topics, tasks, PROJECT);
    }

    /** The same for another project (its own license key, its own rows in the control schema). */
    static Map<String, String> sink(PostgresTestDatabase db, String topics, int tasks, String project) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", SINK_CLASS);
        config.put("tasks.max", Integer.toString(tasks));
        config.put("topics", topics);
        config.putAll(DebeziumEvents.sinkConverterConfig());
        config.put("connection.url", db.jdbcUrl());
        config.put("connection.user", db.user());
        config.put("connection.password", db.password());
        config.put("batch.max.wait.ms", "200");
        config.put("project.name", project);
        config.put("license.key", TestLicenses.generous(project));
        return config;
    }

    /**
     * The same in consistency mode {@code mode}, into target schema {@code <mode>_t} and control
     * schema {@code tm_<mode>}, polling often, tasks spread by the cooperative assignor.
     */
    static Map<String, String> inMode(PostgresTestDatabase db, String topics, int tasks, String project, String mode) {
        Map<String, String> config = sink(db, topics, tasks, project);
        config.put("target.schema", mode + "_t");
        config.put("control.schema", "tm_" + mode);
        config.put("consistency.mode", mode);
        config.put("lifecycle.poll.interval.ms", "100");
        config.put("consumer.override.partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        return config;
    }
}
