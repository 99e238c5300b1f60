package io.tidemark.it.source;

import java.util.HashMap;
import java.util.Map;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.PostgresTestDatabase;

/** Tidemark's PostgreSQL source as the tests configure it: Debezium's pgoutput connector on a test database, markers every second. */
public final class PostgresSourceConfigs {

    private PostgresSourceConfigs() {
    }

    /**
     * A connector capturing {@code tables} (Debezium's table.include.list) under {@code prefix}, with
     * its own slot and publication; the caller adds converters and whatever else the test needs.
     */
    public static Map<String, String> source(PostgresTestDatabase db, ConnectTestCluster cluster, String prefix, String tables) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.tidemark.source.TidemarkPostgresConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", db.host());
        config.put("database.port", Integer.toString(db.port()));
        config.put("database.user", db.user());
        config.put("database.password", db.password());
        config.put("database.dbname", db.name());
        config.put("topic.prefix", prefix);
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", db.name() + "_" + prefix);
        config.put("publication.name", db.name() + "_" + prefix);
        config.put("publication.autocreate.mode", "filtered");
        config.put("table.include.list", tables);
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        config.put("iteration.schema", "tidemark");
        config.put("iteration.interval.ms", "1000");
        config.put("iteration.request.poll.interval.ms", "200");
        config.put("iteration.admin.bootstrap.servers", cluster.bootstrapServers());
        return config;
    }
}
