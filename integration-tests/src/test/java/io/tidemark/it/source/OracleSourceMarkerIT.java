package io.tidemark.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.oracle.OracleContainer;
import org.testcontainers.utility.MountableFile;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The Oracle path end to end, against Oracle Free with LogMiner set up as docs/oracle.md says
 * (setup-logminer.sh), both plugins loaded from their ZIPs with ojdbc11 added to the source
 * plugin's lib/: the marker ordering check of {@link PostgresSourceMarkerIT}, with the commit order
 * from the events' commit SCNs, and the whole pipeline of the shipped erp connector files into
 * PostgreSQL (snapshot, changes, LOB updates, a soft stop). Topic names come from Debezium's own
 * naming strategy ({@code C##DBZUSER} becomes {@code C__DBZUSER}; {@link OracleSourceConfigIT}
 * checks that without Docker).
 *
 * <p>Needs a Docker engine; reported as skipped where none answers, as on the build machines.
 */
@Testcontainers(disabledWithoutDocker = true)
class OracleSourceMarkerIT {

    private static final String CONNECTOR = "oracle-source";
    private static final String PREFIX = "ora";
    private static final String SCHEMA = "C##DBZUSER";
    private static final List<String> TABLES = List.of("T1", "T2", "T3");
    private static final int PRE_EXISTING_ROWS = 120;
    private static final int PARTITIONS = 3;
    private static final int CUSTOMERS = 40;

    /** The application user is the erp files' SHOP: their capture list, in FREEPDB1. */
    @Container
    private static final OracleContainer ORACLE = new OracleContainer("gvenzl/oracle-free:23-slim-faststart")
            .withUsername("shop").withPassword("shop")
            .withCopyFileToContainer(MountableFile.forClasspathResource("oracle/setup-logminer.sh", 0755),
                    "/container-entrypoint-initdb.d/setup-logminer.sh")
            .withStartupTimeout(Duration.ofMinutes(10));

    private static OracleFreeDatabase oracle;
    private static ConnectTestCluster cluster;
    private static PostgresTestDatabase target;

    @BeforeAll
    static void start() {
        oracle = new OracleFreeDatabase(ORACLE);
        cluster = ConnectTestCluster.builder("oracle-source-markers")
                .pluginPath(Path.of(System.getProperty("tidemark.oracle.plugin.path")))
                .start();
        target = PostgresTestDatabase.create("oracle_target");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (target != null) {
            target.close();
        }
    }

    /** The topic Debezium writes a C##DBZUSER table of stream {@value #PREFIX} to. */
    static String topic(String table) {
        return new DebeziumTopicNames(PREFIX).topic(OracleFreeDatabase.PDB, SCHEMA, table);
    }

    private Map<String, String> connectorConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.tidemark.source.TidemarkOracleConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", oracle.host());
        config.put("database.port", Integer.toString(oracle.port()));
        config.put("database.user", OracleFreeDatabase.CONNECTOR_USER);
        config.put("database.password", OracleFreeDatabase.CONNECTOR_PASSWORD);
        config.put("database.dbname", "FREE");
        config.put("database.pdb.name", OracleFreeDatabase.PDB);
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
        config.put("iteration.schema", OracleFreeDatabase.CONNECTOR_USER);
        config.put("iteration.interval.ms", "2000");
        config.put("iteration.request.poll.interval.ms", "200");
        return config; // iteration.admin.bootstrap.servers falls back to the schema history's cluster
    }

    private static long markerRows() throws SQLException {
        return oracle.queryLong("SELECT COUNT(*) FROM C##DBZUSER.TIDEMARK_ITERATION WHERE STREAM_NAME = '" + PREFIX + "'");
    }

    private static void awaitMarkerRows(long atLeast) {
        await(atLeast + " marker rows").atMost(Duration.ofMinutes(2)).until(() -> markerRows() >= atLeast);
    }

    @Test
    void markersAreTransactionallyExactInEveryPartitionAcrossATaskRestart() throws Exception {
        for (String table : TABLES) {
            oracle.executeAsConnectorUser("CREATE TABLE " + SCHEMA + "." + table + " (id NUMBER(9) PRIMARY KEY,"
                            + " writer NUMBER(9) NOT NULL, n NUMBER(18) NOT NULL, note VARCHAR2(100))",
                    "ALTER TABLE " + SCHEMA + "." + table + " ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS",
                    "INSERT INTO " + SCHEMA + "." + table + " SELECT LEVEL, -1, 0, 'snapshot' FROM DUAL CONNECT BY LEVEL <= "
                            + PRE_EXISTING_ROWS);
            cluster.createTopic(topic(table), PARTITIONS);
        }

        try (ConcurrentWriters writers = new ConcurrentWriters(oracle::asConnectorUser,
                TABLES.stream().map(t -> SCHEMA + "." + t).toList(), PRE_EXISTING_ROWS).start(3)) {
            cluster.startConnector(CONNECTOR, connectorConfig(), 1);
            awaitMarkerRows(3);
            long before = markerRows();
            cluster.connect().restartTask(CONNECTOR, 0);
            cluster.awaitRunning(CONNECTOR, 1);
            awaitMarkerRows(before + 2);
            assertThat(writers.commits()).isGreaterThan(50);
        }
        oracle.executeAsConnectorUser("INSERT INTO C##DBZUSER.TIDEMARK_ITERATION_REQUEST (STREAM_NAME, ACTION)"
                + " VALUES ('" + PREFIX + "', 'FINAL')");
        await("the FINAL request handled").atMost(Duration.ofMinutes(1)).until(() -> oracle.queryLong(
                "SELECT COUNT(*) FROM C##DBZUSER.TIDEMARK_ITERATION_REQUEST WHERE ITERATION IS NOT NULL") == 1);
        long finalId = oracle.queryLong("SELECT ITERATION FROM C##DBZUSER.TIDEMARK_ITERATION_REQUEST WHERE ACTION = 'FINAL'");

        List<Long> expectedIds = new ArrayList<>();
        try (Connection c = oracle.asConnectorUser(); PreparedStatement ps = c.prepareStatement(
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
        cluster.connect().deleteConnector(CONNECTOR);

        assertThat(timeline.violations(expectedIds, finalId, true)).isEmpty();
        assertThat(timeline.count(entries -> entries.stream().filter(e -> !e.marker() && e.rank() == -1).count()))
                .as("pre-existing rows arrive as snapshot reads").isGreaterThanOrEqualTo(TABLES.size() * PRE_EXISTING_ROWS);
    }

    /**
     * The erp connector files as shipped (the marker table in C##DBZUSER, the captured tables in
     * SHOP, the schema history kept to the captured tables, LOBs on): the snapshot, inserts, an
     * update that leaves the LOBs alone, one that changes a CLOB, a delete, then a soft stop as the
     * control API does it. The target ends equal to the source, LOB for LOB.
     */
    @Test
    void theErpFilesCarrySnapshotChangesLobsAndASoftStopIntoPostgreSql() throws Exception {
        oracle.executeAsApplication("CREATE TABLE SHOP.CUSTOMERS (ID NUMBER(9) PRIMARY KEY, NAME VARCHAR2(100) NOT NULL,"
                        + " BALANCE NUMBER(12,2) NOT NULL, NOTES CLOB, PHOTO BLOB)",
                "ALTER TABLE SHOP.CUSTOMERS ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS");
        for (int id = 1; id <= CUSTOMERS; id++) {
            insertCustomer(id);
        }
        cluster.startConnector("erp-source", ShippedErpConnectors.source(oracle, cluster), 1);
        cluster.startConnector("erp-sink", ShippedErpConnectors.sink(target), 2);
        await("the snapshot in the target").atMost(Duration.ofMinutes(3)).ignoreExceptions()
                .until(() -> target.count("SELECT count(*) FROM shop.customers WHERE length(notes) > 20000") == CUSTOMERS);

        insertCustomer(CUSTOMERS + 1);
        oracle.executeAsApplication("UPDATE SHOP.CUSTOMERS SET BALANCE = BALANCE + 1 WHERE ID = 1",
                "DELETE FROM SHOP.CUSTOMERS WHERE ID = 3");
        try (Connection c = oracle.asApplication();
             PreparedStatement ps = c.prepareStatement("UPDATE SHOP.CUSTOMERS SET NOTES = ? WHERE ID = 2")) {
            String changed = "changed " + "y".repeat(30_000);
            ps.setCharacterStream(1, new StringReader(changed), changed.length());
            ps.executeUpdate();
        }

        // Soft stop, the control API's steps in SQL: the sink finalizes, the source writes the final marker.
        target.execute("UPDATE tidemark.project SET desired_state = 'SOFT_STOP' WHERE name = '" + ShippedErpConnectors.PROJECT + "'");
        await("the sink accepts SOFT_STOP").atMost(Duration.ofMinutes(1)).until(() -> "SOFT_STOP".equals(target.scalar(
                "SELECT accepted_state FROM tidemark.project WHERE name = ?", ShippedErpConnectors.PROJECT)));
        oracle.executeAsConnectorUser("INSERT INTO C##DBZUSER.ERP_ITERATION_REQUEST (STREAM_NAME, ACTION) VALUES ('erp', 'FINAL')");
        await("the final marker written").atMost(Duration.ofMinutes(1)).until(() -> oracle.queryLong(
                "SELECT ITERATION FROM C##DBZUSER.ERP_ITERATION_REQUEST WHERE ACTION = 'FINAL'") >= 0);
        long finalId = oracle.queryLong("SELECT ITERATION FROM C##DBZUSER.ERP_ITERATION_REQUEST WHERE ACTION = 'FINAL'");
        await("final iteration " + finalId + " applied, every table STOPPED").atMost(Duration.ofMinutes(2)).until(() ->
                target.count("SELECT count(*) FROM tidemark.iteration WHERE project = ? AND iteration = ? AND final"
                        + " AND status = 'APPLIED'", ShippedErpConnectors.PROJECT, finalId) == 1
                        && target.count("SELECT count(*) FROM tidemark.table_state WHERE project = ? AND status <> 'STOPPED'",
                        ShippedErpConnectors.PROJECT) == 0);

        assertThat(target.count("SELECT count(*) FROM tidemark.iteration WHERE project = ? AND iteration = 0"
                + " AND status = 'APPLIED'", ShippedErpConnectors.PROJECT)).as("iteration 0, the snapshot").isEqualTo(1);
        assertThat(targetRows()).as("the target, row for row and LOB for LOB").isEqualTo(sourceRows());
        assertThat(sourceRows()).containsKeys(1L, 2L, CUSTOMERS + 1L).doesNotContainKey(3L);
    }

    /** A customer with a CLOB over 20,000 characters and a BLOB of some 5,000 bytes. */
    private static void insertCustomer(int id) throws SQLException {
        String notes = "notes of customer " + id + " " + "x".repeat(20_000 + id);
        byte[] photo = new byte[5_000 + id];
        for (int i = 0; i < photo.length; i++) {
            photo[i] = (byte) (i * 31 + id);
        }
        try (Connection c = oracle.asApplication(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO SHOP.CUSTOMERS (NAME, BALANCE, NOTES, PHOTO, ID) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, "customer " + id);
            ps.setBigDecimal(2, new BigDecimal(id + ".25"));
            ps.setCharacterStream(3, new StringReader(notes), notes.length());
            ps.setBytes(4, photo);
            ps.setInt(5, id);
            ps.executeUpdate();
        }
    }

    private static Map<Long, List<String>> sourceRows() throws SQLException {
        Map<Long, List<String>> rows = new TreeMap<>();
        try (Connection c = oracle.asApplication(); PreparedStatement ps = c.prepareStatement(
                "SELECT ID, NAME, BALANCE, NOTES, PHOTO FROM SHOP.CUSTOMERS"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getLong(1), List.of(rs.getString(2), rs.getBigDecimal(3).stripTrailingZeros().toPlainString(),
                        rs.getString(4), HexFormat.of().formatHex(rs.getBytes(5))));
            }
        }
        return rows;
    }

    private static Map<Long, List<String>> targetRows() {
        Map<Long, List<String>> rows = new TreeMap<>();
        for (Map<String, Object> row : target.query("SELECT id, name, balance, notes, encode(photo, 'hex') AS photo"
                + " FROM shop.customers")) {
            rows.put(((Number) row.get("id")).longValue(), List.of((String) row.get("name"),
                    ((BigDecimal) row.get("balance")).stripTrailingZeros().toPlainString(), (String) row.get("notes"),
                    (String) row.get("photo")));
        }
        return rows;
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
