package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.testkit.AppliedRowLog;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * What a new user does first: two sink tasks on an empty target, many tables of one new schema,
 * some with two partitions (shared by both tasks) and some with one. Every table is created and
 * filled with what was sent (compared by content), each row written once (a trigger the sink
 * does not know counts the writes), none stops, and both tasks did the work.
 */
class TwoTasksFreshTargetIT {

    private static final String CONNECTOR = "fresh-sink";
    private static final Schema KEY = SchemaBuilder.struct().name("k").field("ID", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("v").field("ID", Schema.INT32_SCHEMA)
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA).build();

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("fresh-target");

    private static PostgresTestDatabase db;
    private static ConnectTestCluster connect;

    @BeforeAll
    static void start() {
        db = PIPELINE.db();
        connect = PIPELINE.connect();
    }

    @Test
    void twoTasksCreateEveryTableOfANewSchemaAndNoneStops() throws InterruptedException {
        List<String> topics = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            DebeziumEvents e = new DebeziumEvents("fresh", "SALES", "T" + t, KEY, ROW);
            int partitions = t < 4 ? 2 : 1;
            connect.createTopic(e.topic(), partitions);
            topics.add(e.topic());
            for (int id = 0; id < 100; id++) {
                records.add(DebeziumEvents.toPartition(e.insert(e.row("ID", id, "NAME", "n" + id)), id % partitions));
            }
        }
        AppliedRowLog applied = AppliedRowLog.install(db, "sales"); // its event trigger watches the tables the sink creates
        Map<String, String> config = SinkConnectorConfigs.sink(db, String.join(",", topics), 2);
        config.put("consumer.override.partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        connect.startConnector(CONNECTOR, config, 2);
        // Both tasks own partitions before the first record comes, so that they create tables at the same time.
        Awaitility.await("both tasks own partitions").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> db.count("SELECT count(DISTINCT substring(owner from ' task ([0-9]+) '))"
                        + " FROM tidemark.kafka_offsets WHERE connector = ?", CONNECTOR) == 2
                        && db.count("SELECT count(*) FROM tidemark.kafka_offsets WHERE connector = ?", CONNECTOR) == 12);
        connect.send(records);

        String allRows = "SELECT " + String.join(" + ", IntStream.range(0, 8)
                .mapToObj(t -> "(SELECT count(*) FROM sales.t" + t + ")").toList());
        Awaitility.await("every row applied").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions() // while tables are still being created
                .untilAsserted(() -> assertThat(db.count(allRows)).isEqualTo(800));
        assertThat(db.rowsAsText("SELECT source_table, status, reason FROM tidemark.table_state WHERE status <> 'RUNNING'"))
                .isEmpty();
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'sales'")).isEqualTo(8);
        List<String> expected = IntStream.range(0, 100).mapToObj(id -> id + "|n" + id).toList();
        for (int t = 0; t < 8; t++) {
            assertThat(db.rowsAsText("SELECT id, name FROM sales.t" + t + " ORDER BY id")).as("sales.t" + t + " by content")
                    .isEqualTo(expected);
            assertThat(applied.writes("t" + t)).as("rows written into sales.t" + t + ", by its trigger").isEqualTo(100);
        }
        assertThat(applied.writtenMoreThanOnce()).as("rows applied twice").isEmpty();
        assertThat(db.rowsAsText("SELECT DISTINCT task FROM tidemark.partition_state ORDER BY 1"))
                .as("both tasks applied partitions").containsExactly("0", "1");
        connect.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 2, "tasks down");
    }

    @Test
    void aTaskGivenNoPartitionBesideABusyOneSaysHowToSpreadThem() {
        List<String> topics = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            DebeziumEvents e = new DebeziumEvents("idle", "OPS", "T" + t, KEY, ROW);
            connect.createTopic(e.topic(), 1);
            topics.add(e.topic());
        }
        try (LogCapture warnings = LogCapture.warnings()) {
            // Connect's default range assignor: every one-partition topic goes to the first task.
            connect.startConnector("idle-sink", SinkConnectorConfigs.sink(db, String.join(",", topics), 2), 2);
            Awaitility.await("the idle task's warning").atMost(Duration.ofSeconds(30)).until(() -> warnings.messages()
                    .stream().anyMatch(m -> m.contains("this task was given no partition while another task of the "
                            + "connector holds 6") && m.contains("consumer.override.partition.assignment.strategy="
                            + "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")));
        }
        connect.connect().deleteConnector("idle-sink");
    }
}
