package io.tidemark.it.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * The erp project's connector files ({@code config/connectors/erp/}) as shipped, pointed at the
 * test's Oracle container, Kafka cluster and PostgreSQL database. Only what must differ differs:
 * addresses and secrets, JSON instead of the Apicurio registry the test does not run, one replica,
 * and marker objects of their own so that the other test's marker ids stay contiguous. Everything
 * else (the capture list, the schema history keeping only captured tables, LOBs, decimal mode) is
 * the file's.
 */
final class ShippedErpConnectors {

    static final String PROJECT = "erp";
    private static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShippedErpConnectors() {
    }

    static Map<String, String> source(OracleFreeDatabase oracle, ConnectTestCluster cluster) {
        Map<String, String> config = file("config/connectors/erp/erp-source.json");
        config.put("database.hostname", oracle.host());
        config.put("database.port", Integer.toString(oracle.port()));
        config.put("database.password", OracleFreeDatabase.CONNECTOR_PASSWORD);
        config.put("schema.history.internal.kafka.bootstrap.servers", cluster.bootstrapServers());
        config.put("topic.creation.default.replication.factor", "1");
        config.put("iteration.interval.ms", "3000");
        config.put("iteration.request.poll.interval.ms", "200");
        config.put("iteration.table", "ERP_ITERATION");
        config.put("iteration.sequence", "ERP_ITERATION_SEQ");
        config.put("iteration.request.table", "ERP_ITERATION_REQUEST");
        withJson(config);
        return config;
    }

    static Map<String, String> sink(PostgresTestDatabase target) {
        Map<String, String> config = file("config/connectors/erp/erp-sink.json");
        config.put("tasks.max", "2");
        config.put("connection.url", target.jdbcUrl());
        config.put("connection.user", target.user());
        config.put("connection.password", target.password());
        config.put("license.key", TestLicenses.generous(PROJECT));
        config.put("batch.max.wait.ms", "200");
        config.put("lifecycle.poll.interval.ms", "200");
        withJson(config);
        return config;
    }

    private static void withJson(Map<String, String> config) {
        config.keySet().removeIf(key -> key.startsWith("key.converter") || key.startsWith("value.converter"));
        config.putAll(DebeziumEvents.sinkConverterConfig());
        config.values().forEach(value -> {
            if (value.contains("${")) {
                throw new IllegalStateException("a placeholder the test does not replace: " + value);
            }
        });
    }

    private static Map<String, String> file(String relative) {
        try {
            return JSON.readValue(REPO.resolve(relative).toFile(), new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
