package io.tidemark.it.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.it.LogCapture;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The source plugin, loaded from its ZIP, with Debezium's PostgreSQL connector against the local
 * PostgreSQL: concurrent writers change several tables while markers are cut, the task is
 * restarted midway, and every table topic partition is checked against the order in which
 * PostgreSQL committed the transactions. That order comes from a second logical replication slot
 * with the test_decoding plugin, independent of Debezium and of Tidemark.
 */
class PostgresSourceMarkerIT {

    private static final String CONNECTOR = "orders-source";
    private static final String PREFIX = "shop";
    private static final List<String> TABLES = List.of("t1", "t2", "t3");
    // No rows, no topic (the marker creates it), no primary key (the connector warns).
    private static final String EMPTY_TABLE = "t4";
    private static final int PRE_EXISTING_ROWS = 240;
    private static final int PARTITIONS = 3;
    private static final int CREATED_TOPIC_PARTITIONS = 2;

    private static PostgresTestDatabase db;
    private static ConnectTestCluster cluster;

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("source-markers");

    @BeforeAll
    static void start() {
        db = PIPELINE.db();
        cluster = PIPELINE.connect();
    }

    private static String topic(String table) {
        return topic(PREFIX, table);
    }

    private static String topic(String prefix, String table) {
        return prefix + ".public." + table;
    }

    private Map<String, String> connectorConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.tidemark.source.TidemarkPostgresConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", db.host());
        config.put("database.port", Integer.toString(db.port()));
        config.put("database.user", db.user());
        config.put("database.password", db.password());
        config.put("database.dbname", db.name());
        config.put("topic.prefix", PREFIX);
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", db.name() + "_dbz");
        config.put("publication.name", db.name() + "_pub");
        config.put("publication.autocreate.mode", "filtered");
        config.put("table.include.list", "public.t1,public.t2,public.t3,public.t4");
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", Integer.toString(CREATED_TOPIC_PARTITIONS));
        config.put("iteration.schema", "tidemark");
        config.put("iteration.interval.ms", "1000");
        config.put("iteration.request.poll.interval.ms", "200");
        config.put("iteration.admin.bootstrap.servers", cluster.bootstrapServers());
        return config;
    }

    @Test
    void badIterationSettingsAreReportedByTheValidateEndpoint() {
        Map<String, String> config = connectorConfig();
        config.put("name", "bad-config");
        config.put("iteration.interval.ms", "10");
        config.put("iteration.table", "no-such name");
        ConfigInfos infos = cluster.connect().validateConnectorConfig("TidemarkPostgresConnector", config);
        Map<String, List<String>> errors = new HashMap<>();
        infos.configs().stream().filter(info -> info.configValue() != null)
                .forEach(info -> errors.put(info.configValue().name(), info.configValue().errors()));
        assertThat(errors.get("iteration.interval.ms")).singleElement().asString().contains("at least 1000");
        assertThat(errors.get("iteration.table")).singleElement().asString().contains("unquoted SQL identifier");
        assertThat(errors.get("slot.name")).as("Debezium's own keys are validated too").isEmpty();
        assertThat(errors).as("keys with errors").allSatisfy((key, messages) -> {
            if (!messages.isEmpty()) {
                assertThat(key).isIn("iteration.interval.ms", "iteration.table");
            }
        });
    }

    @Test
    void theOracleConnectorLoadsFromTheZipWithoutOjdbcAndValidatesItsIterationKeys() {
        Map<String, String> config = new HashMap<>();
        config.put("name", "oracle-config");
        config.put("connector.class", "io.tidemark.source.TidemarkOracleConnector");
        config.put("topic.prefix", "ora");
        config.put("iteration.schema", "c##dbzuser");
        config.put("iteration.interval.ms", "-5");
        ConfigInfos infos = cluster.connect().validateConnectorConfig("TidemarkOracleConnector", config);
        assertThat(infos.configs()).filteredOn(info -> info.configValue() != null
                        && info.configValue().name().equals("iteration.interval.ms"))
                .singleElement().satisfies(info -> assertThat(info.configValue().errors()).isNotEmpty());
        assertThat(infos.configs()).as("the iteration keys are documented beside Debezium's")
                .anySatisfy(info -> assertThat(info.configKey().name()).isEqualTo("iteration.request.table"))
                .anySatisfy(info -> assertThat(info.configKey().name()).isEqualTo("log.mining.strategy"));
    }

    @Test
    void markersAreTransactionallyExactInEveryPartitionAcrossATaskRestart() throws Exception {
        for (String table : TABLES) {
            db.execute("CREATE TABLE public." + table + " (id INT PRIMARY KEY, writer INT NOT NULL, n BIGINT NOT NULL, note TEXT)",
                    "INSERT INTO public." + table + " SELECT g, -1, 0, 'snapshot' FROM generate_series(1, " + PRE_EXISTING_ROWS + ") g");
            cluster.createTopic(topic(table), PARTITIONS);
        }
        db.execute("CREATE TABLE public." + EMPTY_TABLE + " (id INT, note TEXT)");
        String truthSlot = db.name() + "_truth";
        db.execute("SELECT pg_create_logical_replication_slot('" + truthSlot + "', 'test_decoding')");

        // Writers run before the connector starts, so that changes are committed during the snapshot too.
        long finalId;
        try (LogCapture warnings = LogCapture.warnings();
             ConcurrentWriters writers = new ConcurrentWriters(db::connect,
                TABLES.stream().map(t -> "public." + t).toList(), PRE_EXISTING_ROWS).start(4)) {
            cluster.startConnector(CONNECTOR, connectorConfig(), 1);
            awaitMarkerRows(3);
            await("the warning about " + EMPTY_TABLE).atMost(Duration.ofSeconds(30)).until(() -> warnings.messages().stream()
                    .anyMatch(m -> m.contains("public." + EMPTY_TABLE + " has no primary key")));

            long before = markerRows();
            cluster.connect().restartTask(CONNECTOR, 0);
            cluster.awaitRunning(CONNECTOR, 1);
            awaitMarkerRows(before + 3);

            db.execute("INSERT INTO tidemark.tidemark_iteration_request (stream_name, action) VALUES ('" + PREFIX + "', 'CLOSE')");
            await("the CLOSE request handled").atMost(Duration.ofSeconds(30)).until(() ->
                    db.count("SELECT count(*) FROM tidemark.tidemark_iteration_request WHERE iteration IS NULL") == 0);
            awaitMarkerRows(markerRows() + 2);
            assertThat(writers.commits()).isGreaterThan(100);
        }
        db.execute("INSERT INTO tidemark.tidemark_iteration_request (stream_name, action) VALUES ('" + PREFIX + "', 'FINAL')");
        await("the FINAL request handled").atMost(Duration.ofSeconds(30)).until(() ->
                db.count("SELECT count(*) FROM tidemark.tidemark_iteration_request WHERE action = 'FINAL' AND iteration IS NOT NULL") == 1);
        finalId = db.count("SELECT iteration FROM tidemark.tidemark_iteration_request WHERE action = 'FINAL'");

        List<Long> expectedIds = db.query("SELECT iteration FROM tidemark.tidemark_iteration WHERE stream_name = ? ORDER BY iteration", PREFIX)
                .stream().map(row -> ((Number) row.get("iteration")).longValue()).toList();
        assertThat(expectedIds.get(0)).as("the first marker closes iteration 0, the snapshot").isZero();
        assertThat(expectedIds).last().isEqualTo(finalId);
        assertThat(db.scalar("SELECT reason FROM tidemark.tidemark_iteration WHERE iteration = 0")).isEqualTo("SNAPSHOT");
        assertThat(db.count("SELECT count(*) FROM tidemark.tidemark_iteration WHERE reason = 'REQUEST'")).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM tidemark.tidemark_iteration WHERE is_final")).isEqualTo(1);

        List<String> topics = new ArrayList<>(TABLES.stream().map(PostgresSourceMarkerIT::topic).toList());
        topics.add(topic(EMPTY_TABLE));
        Map<Long, Long> commitRank = new HashMap<>();
        Map<Long, Long> markerTxn = new HashMap<>();
        MarkerTimeline timeline = await("marker " + finalId + " in every partition").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    ConsumerRecords<byte[], byte[]> records = cluster.connect().kafka().consumeAll(30_000, topics.toArray(String[]::new));
                    // Read after consuming: every transaction whose changes were consumed has committed by now.
                    readCommitOrder(truthSlot, commitRank, markerTxn);
                    return MarkerTimeline.of(records, ranking(commitRank, markerTxn));
                }, t -> t.partitions().size() == TABLES.size() * PARTITIONS + CREATED_TOPIC_PARTITIONS
                        && t.partitions().keySet().stream().allMatch(tp -> t.markerIds(tp).contains(finalId)));

        assertThat(timeline.violations(expectedIds, finalId, false)).isEmpty();
        assertThat(timeline.partitions().keySet()).contains(new TopicPartition(topic(EMPTY_TABLE), CREATED_TOPIC_PARTITIONS - 1));
        assertThat(expectedIds.size()).as("markers cut while writers ran").isGreaterThanOrEqualTo(8);
        assertThat(timeline.count(entries -> entries.stream().filter(e -> !e.marker() && e.rank() == -1).count()))
                .as("pre-existing rows arrive as snapshot reads").isGreaterThanOrEqualTo(TABLES.size() * PRE_EXISTING_ROWS);
        assertThat(timeline.count(entries -> entries.stream().filter(e -> !e.marker() && e.rank() >= 0).count()))
                .as("streamed changes").isGreaterThan(100);
    }

    /** A connector of its own, on one table, for the tests that need no concurrent writers. */
    private Map<String, String> singleTableConfig(String prefix, String table) {
        Map<String, String> config = connectorConfig();
        config.put("topic.prefix", prefix);
        config.put("slot.name", db.name() + "_" + prefix);
        config.put("publication.name", db.name() + "_" + prefix + "_pub");
        config.put("table.include.list", "public." + table);
        config.put("iteration.schema", "tidemark_" + prefix);
        config.put("topic.creation.default.partitions", "1");
        return config;
    }

    private static long markerRows(String prefix) {
        return db.count("SELECT count(*) FROM tidemark_" + prefix + ".tidemark_iteration WHERE stream_name = ?", prefix);
    }

    private static Object slotPid(String slot) {
        return db.scalar("SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?", slot);
    }

    private static String taskState(String connector) {
        var status = cluster.statusOrNull(connector);
        return status == null || status.tasks().isEmpty() ? "UNKNOWN" : status.tasks().get(0).state()
                + (status.tasks().get(0).trace() == null ? "" : ": " + status.tasks().get(0).trace());
    }

    /**
     * A lost replication connection is a retriable error for Debezium: BaseSourceTask stops the task
     * and starts it again in place, on the same task and so with the same plugin metrics. The task
     * must come back RUNNING and go on writing and emitting markers.
     */
    @Test
    void aRetriableErrorRestartsTheTaskInPlaceAndMarkersGoOn() {
        String prefix = "retry";
        String connector = prefix + "-source";
        String slot = db.name() + "_" + prefix;
        db.execute("CREATE TABLE public.r1 (id INT PRIMARY KEY, note TEXT)", "INSERT INTO public.r1 VALUES (1, 'before')");
        Map<String, String> config = singleTableConfig(prefix, "r1");
        config.put("retriable.restart.connector.wait.ms", "500");
        cluster.startConnector(connector, config, 1);
        try {
            await("marker 0 and the slot in use").atMost(Duration.ofSeconds(60))
                    .until(() -> markerRows(prefix) >= 1 && slotPid(slot) != null);
            Object pid = slotPid(slot);
            db.execute("SELECT pg_terminate_backend(" + pid + ")");
            await("Debezium's replication connection back").atMost(Duration.ofSeconds(60))
                    .until(() -> slotPid(slot) != null && !slotPid(slot).equals(pid) || !taskState(connector).startsWith("RUNNING"));
            long before = markerRows(prefix);
            await("two more marker rows, or the task failed").atMost(Duration.ofSeconds(60))
                    .until(() -> markerRows(prefix) >= before + 2 || !taskState(connector).startsWith("RUNNING"));
            assertThat(taskState(connector)).as("the task after Debezium's in-place restart").isEqualTo("RUNNING");

            db.execute("INSERT INTO public.r1 VALUES (2, 'after')");
            long last = markerRows(prefix) - 1;
            await("a marker written after the restart, and the change, in the topic").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        ConsumerRecords<byte[], byte[]> records = cluster.connect().kafka().consumeAll(10_000, topic(prefix, "r1"));
                        String all = new String(String.join("\n", java.util.stream.StreamSupport.stream(records.spliterator(), false)
                                .map(r -> r.value() == null ? "" : new String(r.value())).toList()));
                        return all.contains("\"iteration\":" + last) && all.contains("\"note\":\"after\"");
                    });
        } finally {
            cluster.connect().deleteConnector(connector);
        }
    }

    /** With snapshot.mode=initial_only Debezium snapshots and never streams: no marker row is written. */
    @Test
    void initialOnlySnapshotsAndWritesNoMarker() {
        String prefix = "once";
        db.execute("CREATE TABLE public.o1 (id INT PRIMARY KEY, note TEXT)",
                "INSERT INTO public.o1 SELECT g, 'snapshot' FROM generate_series(1, 5) g");
        cluster.createTopic(topic(prefix, "o1"), 1);
        Map<String, String> config = singleTableConfig(prefix, "o1");
        config.put("snapshot.mode", "initial_only");
        try (LogCapture warnings = LogCapture.warnings()) {
            cluster.startConnector(prefix + "-source", config, 1);
            cluster.connect().kafka().consume(5, 60_000, topic(prefix, "o1"));
            await("the warning, or a marker row").atMost(Duration.ofSeconds(60)).until(() -> markerRows(prefix) > 0
                    || warnings.messages().stream().anyMatch(m -> m.contains("initial_only")));
            assertThat(markerRows(prefix)).as("marker rows written").isZero();
            assertThat(warnings.messages()).anySatisfy(m -> assertThat(m).contains("initial_only", "no marker"));
        } finally {
            cluster.connect().deleteConnector(prefix + "-source");
        }
    }

    private static long markerRows() {
        return db.count("SELECT count(*) FROM tidemark.tidemark_iteration WHERE stream_name = ?", PREFIX);
    }

    private static void awaitMarkerRows(long atLeast) {
        await(atLeast + " marker rows").atMost(Duration.ofSeconds(60)).until(() -> markerRows() >= atLeast);
    }

    private static final Pattern BEGIN = Pattern.compile("^BEGIN (\\d+)");
    private static final Pattern COMMIT = Pattern.compile("^COMMIT (\\d+)");
    private static final Pattern MARKER_INSERT = Pattern.compile("^table tidemark\\.tidemark_iteration: INSERT: iteration\\[bigint\\]:(\\d+)");

    /** Commit order of every transaction since the truth slot was created, and which transaction wrote each marker row. */
    private static void readCommitOrder(String slot, Map<Long, Long> commitRank, Map<Long, Long> markerTxn) {
        commitRank.clear();
        markerTxn.clear();
        long currentTxn = -1;
        long rank = 0;
        for (String line : db.rowsAsText("SELECT data FROM pg_logical_slot_peek_changes('" + slot + "', NULL, NULL)")) {
            Matcher m;
            if ((m = BEGIN.matcher(line)).find()) {
                currentTxn = Long.parseLong(m.group(1));
            } else if ((m = COMMIT.matcher(line)).find()) {
                commitRank.put(Long.parseLong(m.group(1)), rank++);
            } else if ((m = MARKER_INSERT.matcher(line)).find()) {
                markerTxn.put(Long.parseLong(m.group(1)), currentTxn);
            }
        }
    }

    private static MarkerTimeline.Ranking ranking(Map<Long, Long> commitRank, Map<Long, Long> markerTxn) {
        return new MarkerTimeline.Ranking() {
            @Override
            public long change(String op, JsonNode source) {
                if ("r".equals(op)) {
                    return -1;
                }
                long txId = source.get("txId").asLong();
                Long rank = commitRank.get(txId);
                if (rank == null) {
                    throw new AssertionError("change of transaction " + txId + " is not in the commit order");
                }
                return rank;
            }

            @Override
            public long marker(long iteration, String sourcePosition) {
                Long txn = markerTxn.get(iteration);
                if (txn == null || !commitRank.containsKey(txn)) {
                    throw new AssertionError("marker " + iteration + " has no committed row in the commit order");
                }
                return commitRank.get(txn);
            }
        };
    }
}
