package io.tidemark.it;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.PostgresTestDatabase;

/** Tidemark's PostgreSQL source (Debezium's PostgreSQL connector with iteration markers) as a user would configure it. */
final class SourceConnectorConfigs {

    static final String SOURCE_CLASS = "io.tidemark.source.TidemarkPostgresConnector";

    private SourceConnectorConfigs() {
    }

    /**
     * @param prefix     Debezium's {@code topic.prefix}; topics are {@code prefix.public.<table>}
     * @param tables     the captured tables of schema public
     * @param intervalMs how often a marker closes an iteration
     */
    static Map<String, String> postgres(PostgresTestDatabase db, ConnectTestCluster cluster, String prefix,
                                        List<String> tables, long intervalMs) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", SOURCE_CLASS);
        config.put("tasks.max", "1");
        config.put("database.hostname", db.host());
        config.put("database.port", Integer.toString(db.port()));
        config.put("database.user", db.user());
        config.put("database.password", db.password());
        config.put("database.dbname", db.name());
        config.put("topic.prefix", prefix);
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", (db.name() + "_" + prefix).replaceAll("[^a-z0-9_]", "_"));
        // Kept on stop, as in production: a task that moves to another worker (a worker leaves)
        // resumes from its slot. PostgresTestDatabase.close drops the slots.
        config.put("slot.drop.on.stop", "false");
        config.put("publication.name", (db.name() + "_" + prefix + "_pub").replaceAll("[^a-z0-9_]", "_"));
        config.put("publication.autocreate.mode", "filtered");
        config.put("table.include.list", String.join(",", tables.stream().map(t -> "public." + t).toList()));
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("decimal.handling.mode", "precise");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        config.put("iteration.schema", "tidemark_" + prefix);
        config.put("iteration.interval.ms", Long.toString(intervalMs));
        config.put("iteration.request.poll.interval.ms", "200");
        config.put("iteration.admin.bootstrap.servers", cluster.bootstrapServers());
        return config;
    }
}
