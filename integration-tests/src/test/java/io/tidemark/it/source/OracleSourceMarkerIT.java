package io.tidemark.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.oracle.OracleContainer;
import org.testcontainers.utility.MountableFile;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.testkit.ConnectTestCluster;

/**
 * The same ordering check as {@link PostgresSourceMarkerIT} against Oracle Free with LogMiner, the
 * source plugin loaded from its ZIP with ojdbc11 added to its lib/ (as docs/oracle.md says). The
 * commit order comes from the events' commit SCNs. Needs a Docker engine; reported as skipped
 * where none answers.
 */
@Testcontainers(disabledWithoutDocker = true)
class OracleSourceMarkerIT {

    private static final String CONNECTOR = "oracle-source";
    private static final String PREFIX = "ora";
    private static final String SCHEMA = "C##DBZUSER";
    private static final List<String> TABLES = List.of("T1", "T2", "T3");
    private static final int PRE_EXISTING_ROWS = 120;
    private static final int PARTITIONS = 3;

    @Container
    private static final OracleContainer ORACLE = new OracleContainer("gvenzl/oracle-free:23-slim-faststart")
            .withCopyFileToContainer(MountableFile.forClasspathResource("oracle/setup-logminer.sh", 0755),
                    "/container-entrypoint-initdb.d/setup-logminer.sh")
            .withStartupTimeout(Duration.ofMinutes(10));

    private static ConnectTestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ConnectTestCluster.builder("oracle-source-markers")
                .pluginPath(Path.of(System.getProperty("tidemark.oracle.plugin.path")))
                .start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Connection connect() throws SQLException {
        String url = "jdbc:oracle:thin:@" + ORACLE.getHost() + ":" + ORACLE.getOraclePort() + "/FREEPDB1";
        return DriverManager.getConnection(url, "c##dbzuser", "dbz");
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static long queryLong(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private Map<String, String> connectorConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.tidemark.source.TidemarkOracleConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", ORACLE.getHost());
        config.put("database.port", Integer.toString(ORACLE.getOraclePort()));
        config.put("database.user", "c##dbzuser");
        config.put("database.password", "dbz");
        config.put("database.dbname", "FREE");
        config.put("database.pdb.name", "FREEPDB1");
        config.put("topic.prefix", PREFIX);
        config.put("table.include.list", String.join(",", TABLES.stream().map(t -> SCHEMA + "\\." + t).toList()));
        config.put("log.mining.strategy", "online_catalog");
        config.put("decimal.handling.mode", "precise");
        config.put("schema.history.internal.kafka.bootstrap.servers", cluster.bootstrapServers());
        config.put("schema.history.internal.kafka.topic", PREFIX + ".schema-history");
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", "1");
        config.put("iteration.schema", "c##dbzuser");
        config.put("iteration.interval.ms", "2000");
        config.put("iteration.request.poll.interval.ms", "200");
        return config; // iteration.admin.bootstrap.servers falls back to the schema history's cluster
    }

    private static String topic(String table) {
        return PREFIX + "." + SCHEMA + "." + table;
    }

    private static long markerRows() throws SQLException {
        return queryLong("SELECT COUNT(*) FROM C##DBZUSER.TIDEMARK_ITERATION WHERE STREAM_NAME = '" + PREFIX + "'");
    }

    private static void awaitMarkerRows(long atLeast) {
        await(atLeast + " marker rows").atMost(Duration.ofMinutes(2)).until(() -> markerRows() >= atLeast);
    }

    @Test
    void markersAreTransactionallyExactInEveryPartitionAcrossATaskRestart() throws Exception {
        for (String table : TABLES) {
            execute("CREATE TABLE " + SCHEMA + "." + table + " (id NUMBER(9) PRIMARY KEY, writer NUMBER(9) NOT NULL,"
                            + " n NUMBER(18) NOT NULL, note VARCHAR2(100))",
                    "ALTER TABLE " + SCHEMA + "." + table + " ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS",
                    "INSERT INTO " + SCHEMA + "." + table + " SELECT LEVEL, -1, 0, 'snapshot' FROM DUAL CONNECT BY LEVEL <= "
                            + PRE_EXISTING_ROWS);
            cluster.createTopic(topic(table), PARTITIONS);
        }

        try (ConcurrentWriters writers = new ConcurrentWriters(OracleSourceMarkerIT::connect,
                TABLES.stream().map(t -> SCHEMA + "." + t).toList(), PRE_EXISTING_ROWS).start(3)) {
            cluster.startConnector(CONNECTOR, connectorConfig(), 1);
            awaitMarkerRows(3);
            long before = markerRows();
            cluster.connect().restartTask(CONNECTOR, 0);
            cluster.awaitRunning(CONNECTOR, 1);
            awaitMarkerRows(before + 2);
            assertThat(writers.commits()).isGreaterThan(50);
        }
        execute("INSERT INTO C##DBZUSER.TIDEMARK_ITERATION_REQUEST (STREAM_NAME, ACTION) VALUES ('" + PREFIX + "', 'FINAL')");
        await("the FINAL request handled").atMost(Duration.ofMinutes(1)).until(() ->
                queryLong("SELECT COUNT(*) FROM C##DBZUSER.TIDEMARK_ITERATION_REQUEST WHERE ITERATION IS NOT NULL") == 1);
        long finalId = queryLong("SELECT ITERATION FROM C##DBZUSER.TIDEMARK_ITERATION_REQUEST WHERE ACTION = 'FINAL'");

        List<Long> expectedIds = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT ITERATION FROM C##DBZUSER.TIDEMARK_ITERATION WHERE STREAM_NAME = ? ORDER BY ITERATION")) {
            ps.setString(1, PREFIX);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    expectedIds.add(rs.getLong(1));
                }
            }
        }
        assertThat(expectedIds.get(0)).as("the first marker closes iteration 0, the snapshot").isZero();

        String[] topics = TABLES.stream().map(OracleSourceMarkerIT::topic).toArray(String[]::new);
        MarkerTimeline timeline = await("marker " + finalId + " in every partition").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> MarkerTimeline.of(cluster.connect().kafka().consumeAll(30_000, topics), BY_COMMIT_SCN),
                        t -> t.partitions().size() == TABLES.size() * PARTITIONS
                                && t.partitions().keySet().stream().allMatch(tp -> t.markerIds(tp).contains(finalId)));

        assertThat(timeline.violations(expectedIds, finalId, true)).isEmpty();
        assertThat(timeline.count(entries -> entries.stream().filter(e -> !e.marker() && e.rank() == -1).count()))
                .as("pre-existing rows arrive as snapshot reads").isGreaterThanOrEqualTo(TABLES.size() * PRE_EXISTING_ROWS);
    }

    // LogMiner emits transactions in commit order; each event and each marker carries its commit SCN.
    private static final MarkerTimeline.Ranking BY_COMMIT_SCN = new MarkerTimeline.Ranking() {
        @Override
        public long change(String op, JsonNode source) {
            return "r".equals(op) ? -1 : Long.parseLong(source.get("commit_scn").asText());
        }

        @Override
        public long marker(long iteration, String sourcePosition) {
            return Long.parseLong(sourcePosition);
        }
    };
}
