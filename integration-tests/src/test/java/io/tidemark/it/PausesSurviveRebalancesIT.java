package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * A FULL table's partition waits (paused) at marker 1 when the sink's consumer group rebalances.
 * With Connect's default assignor (eager: every partition is revoked, then assigned again) the
 * partition comes back to the same task, and Connect pauses it again itself: the task must know
 * why it is paused (its status says WAITING, not RUNNING) and resume it once iteration 1 is
 * applied. With the cooperative assignor the shipped configurations set, the partition stays; the
 * same must hold.
 */
class PausesSurviveRebalancesIT {

    private static final Logger LOG = LoggerFactory.getLogger(PausesSurviveRebalancesIT.class);
    private static final Schema KEY = SchemaBuilder.struct().name("pauses.Key").field("ID", Schema.INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("pauses.Value").field("ID", Schema.INT64_SCHEMA)
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA).build();

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("pauses-rebalance");

    private static PostgresTestDatabase db;
    private static ConnectTestCluster connect;

    @BeforeAll
    static void start() {
        db = PIPELINE.db();
        connect = PIPELINE.connect();
    }

    @ParameterizedTest(name = "assignor: {0}")
    @ValueSource(strings = {"default", "cooperative"})
    void aWaitingPartitionThatARebalanceGivesBackStillWaitsAndGoesOnWhenItsIterationIsApplied(String assignor) {
        String prefix = "pauses_" + assignor;
        String project = prefix;
        DebeziumEvents a = new DebeziumEvents(prefix, "HR", "A", KEY, ROW);
        DebeziumEvents b = new DebeziumEvents(prefix, "HR", "B", KEY, ROW);
        DebeziumEvents c = new DebeziumEvents(prefix, "HR", "C", KEY, ROW);
        connect.createTopic(a.topic(), 1);
        connect.createTopic(b.topic(), 1);
        connect.send(List.of(a.read(row(a, 1, "a")), marker(a, 0), a.update(row(a, 1, "a"), row(a, 1, "a-it1")),
                marker(a, 1), a.update(row(a, 1, "a-it1"), row(a, 1, "a-it2")),
                b.read(row(b, 1, "b")), marker(b, 0)));

        Map<String, String> sink = SinkConnectorConfigs.sink(db, "", 1, project);
        sink.remove("topics");
        sink.put("topics.regex", prefix + "\\.HR\\..*");
        sink.put("consistency.mode", "full");
        sink.put("target.schema", prefix);
        sink.put("lifecycle.poll.interval.ms", "100");
        sink.put("batch.max.wait.ms", "100");
        sink.put("consumer.override.metadata.max.age.ms", "500"); // a new topic is seen (and rebalanced to) at once
        if (assignor.equals("cooperative")) {
            sink.put("consumer.override.partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        }
        String connector = prefix + "-sink";
        connect.startConnector(connector, sink, 1);
        await("A waits at marker 1", () -> "WAITING".equals(status(project, "HR.A")));
        long epochBefore = epoch(connector, a.topic());

        // A new topic matching topics.regex: the group rebalances and the task is given its partitions again.
        connect.createTopic(c.topic(), 1);
        connect.send(List.of(c.read(row(c, 1, "c")), marker(c, 0)));
        await("the sink took the new topic over", () -> db.count("SELECT count(*) FROM tidemark.kafka_offsets"
                + " WHERE connector = ? AND topic = ?", connector, c.topic()) == 1);
        long epochAfter = epoch(connector, a.topic());
        LOG.info("{}: A's partition claimed under epoch {} before the rebalance, {} after", assignor, epochBefore,
                epochAfter);
        if (assignor.equals("default")) {
            assertThat(epochAfter).as("the eager rebalance revoked A's partition and gave it back").isGreaterThan(epochBefore);
        }
        await("A's partition status written since it was (last) claimed", () -> db.count("SELECT count(*) FROM"
                + " tidemark.partition_state s JOIN tidemark.kafka_offsets k ON k.topic = s.topic AND k.connector = ?"
                + " WHERE s.project = ? AND s.topic = ? AND s.updated_at >= k.claimed_at", connector, project, a.topic()) == 1);
        assertThat(status(project, "HR.A")).as("A's status after the rebalance").isEqualTo("WAITING");

        connect.send(List.of(b.update(row(b, 1, "b"), row(b, 1, "b-it1")), marker(b, 1), marker(c, 1)));
        await("iteration 1 applied", () -> "APPLIED".equals(iterationStatus(project, 1)));
        connect.send(List.of(marker(a, 2), marker(b, 2), marker(c, 2)));
        await("A went on: iteration 2 applied", () -> "APPLIED".equals(iterationStatus(project, 2)));
        assertThat(db.rowsAsText("SELECT id, name FROM " + prefix + ".a")).containsExactly("1|a-it2");
        assertThat(db.rowsAsText("SELECT id, name FROM " + prefix + ".b")).containsExactly("1|b-it1");
        connect.connect().deleteConnector(connector);
    }

    private static Struct row(DebeziumEvents events, long id, String name) {
        return events.row("ID", id, "NAME", name);
    }

    /** Marker N as the source writes it into a one-partition topic. */
    private static ProducerRecord<byte[], byte[]> marker(DebeziumEvents events, long iteration) {
        IterationMarker marker = new IterationMarker(iteration, Long.toString(1000 + iteration),
                System.currentTimeMillis(), false, 1);
        return new ProducerRecord<>(events.topic(), 0, null,
                events.serializeValue(IterationMarker.VALUE_SCHEMA, marker.toStruct()));
    }

    private static String status(String project, String table) {
        return (String) db.scalar("SELECT status FROM tidemark.table_state WHERE project = ? AND source_table = ?",
                project, table);
    }

    private static String iterationStatus(String project, long iteration) {
        return (String) db.scalar("SELECT status FROM tidemark.iteration WHERE project = ? AND iteration = ?", project,
                iteration);
    }

    private static long epoch(String connector, String topic) {
        return (Long) db.scalar("SELECT owner_epoch FROM tidemark.kafka_offsets WHERE connector = ? AND topic = ?",
                connector, topic);
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(condition);
    }
}
