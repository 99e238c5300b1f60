package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Crash consistency: while change events flow, tasks are restarted, the connector is restarted,
 * PostgreSQL drops the sink's connections and a worker leaves and another joins. Afterwards the
 * target must equal the source's final state, no change may have been applied twice (a trigger
 * records every applied row version; they must rise strictly per row), and the offsets stored in
 * PostgreSQL must equal the topic's end offsets. Then an offsets reset replays everything again.
 */
class SinkCrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(SinkCrashIT.class);
    private static final String CONNECTOR = "crash-sink";
    private static final int PARTITIONS = 3;
    private static final int KEYS = 3000;
    private static final int EVENTS = 45_000;

    private static final Schema KEY = SchemaBuilder.struct().name("server1.HR.ACCT.Key").field("ID", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("server1.HR.ACCT.Value")
            .field("ID", Schema.INT32_SCHEMA)
            .field("VERSION", Schema.INT64_SCHEMA)
            .field("BALANCE", Schema.OPTIONAL_INT64_SCHEMA)
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static PostgresTestDatabase db;
    private static ConnectTestCluster connect;

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("sink-crash").cluster(c -> c.workers(2)
            // A leaving worker's tasks move at once instead of after the default 5 minutes.
            .workerProp("scheduled.rebalance.max.delay.ms", "1000"));

    @BeforeAll
    static void start() {
        db = PIPELINE.db();
        connect = PIPELINE.connect();
        // The target exists beforehand so that the test can watch every applied row version.
        db.execute("CREATE SCHEMA hr",
                "CREATE TABLE hr.acct (id integer PRIMARY KEY, version bigint, balance bigint, name text)",
                "CREATE TABLE public.applied (seq bigserial PRIMARY KEY, id integer, version bigint)",
                "CREATE FUNCTION public.note_applied() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN INSERT INTO public.applied (id, version) VALUES (NEW.id, NEW.version); RETURN NEW; END $$",
                "CREATE TRIGGER note_applied AFTER INSERT OR UPDATE ON hr.acct FOR EACH ROW EXECUTE FUNCTION public.note_applied()");
    }

    /** The source's state after every event: id → "version|balance|name". */
    private final Map<Integer, String> expected = new TreeMap<>();
    private final AtomicInteger produced = new AtomicInteger();
    /** The producer goes on past EVENTS until the disruptions are over, so that all of them meet a flow. */
    private final AtomicBoolean disruptionsOver = new AtomicBoolean();

    @Test
    void restartsCrashesAndWorkerChangesNeitherLoseNorRepeatAChange() throws Exception {
        DebeziumEvents events = new DebeziumEvents("server1", "HR", "ACCT", KEY, ROW);
        connect.createTopic(events.topic(), PARTITIONS);
        Map<String, String> config = SinkConnectorConfigs.sink(db, events.topic(), PARTITIONS);
        config.put("batch.size", "2000");
        config.put("retry.backoff.ms", "100");
        connect.startConnector(CONNECTOR, config, PARTITIONS);

        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(events));
        try {
            disrupt(producing);
        } finally {
            disruptionsOver.set(true);
        }
        producing.get(3, TimeUnit.MINUTES);

        awaitAllApplied(events.topic());
        assertTargetEqualsSource();
        assertNoChangeAppliedTwice();
        connect.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, PARTITIONS, "tasks down");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(SinkPipelineIT.groupOffsets(connect, CONNECTOR)).isEqualTo(endOffsets(events.topic())));

        // A reset through the REST offsets API replays the whole topic into an empty target.
        connect.connect().stopConnector(CONNECTOR);
        connect.connect().assertions().assertConnectorIsStopped(CONNECTOR, "not stopped");
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> connect.connect().resetConnectorOffsets(CONNECTOR) != null);
        db.execute("TRUNCATE hr.acct", "TRUNCATE public.applied");
        connect.connect().resumeConnector(CONNECTOR);
        awaitAllApplied(events.topic());
        assertTargetEqualsSource();
        assertNoChangeAppliedTwice();
    }

    private void produce(DebeziumEvents events) {
        Random random = new Random(42);
        Map<Integer, Long> versions = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = connect.producer()) {
            for (int i = 0; i < EVENTS || !disruptionsOver.get(); i++) {
                int id = random.nextInt(KEYS);
                long version = versions.merge(id, 1L, Long::sum);
                Struct row = events.row("ID", id, "VERSION", version, "BALANCE", (long) random.nextInt(1_000_000),
                        "NAME", "account " + id + " v" + version);
                boolean exists = expected.containsKey(id);
                List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(2);
                if (!exists) {
                    out.add(events.insert(row));
                    expected.put(id, version + "|" + row.get("BALANCE") + "|" + row.get("NAME"));
                } else if (random.nextInt(10) < 7) {
                    out.add(events.update(row, row));
                    expected.put(id, version + "|" + row.get("BALANCE") + "|" + row.get("NAME"));
                } else {
                    out.add(events.delete(row));
                    out.add(events.tombstone(row));
                    expected.remove(id);
                }
                for (ProducerRecord<byte[], byte[]> r : out) {
                    producer.send(DebeziumEvents.toPartition(r, id % PARTITIONS));
                }
                produced.incrementAndGet();
                if (i % 1000 == 999) {
                    producer.flush();
                    Thread.sleep(400); // spread the flow over the disruptions (about 18 s)
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void disrupt(CompletableFuture<Void> producing) throws InterruptedException {
        pause(1500);
        note("restart task 0");
        connect.connect().restartTask(CONNECTOR, 0);
        pause(1500);
        note("PostgreSQL terminates the sink's sessions (" + db.terminateOtherSessions() + " ended)");
        pause(1000);
        note("restart the connector and its tasks");
        connect.connect().restartConnectorAndTasks(CONNECTOR, false, true, false);
        pause(1500);
        note("PostgreSQL terminates the sink's sessions again (" + db.terminateOtherSessions() + " ended)");
        pause(1000);
        WorkerHandle leaving = connect.connect().workers().iterator().next();
        note("worker " + leaving.url() + " leaves");
        connect.connect().removeWorker(leaving);
        pause(2000);
        note("a new worker joins");
        connect.connect().addWorker();
        pause(1000);
        note("restart task 1");
        connect.connect().restartTask(CONNECTOR, 1);
        assertThat(producing).as("the disruptions happened while change events flowed").isNotDone();
        connect.awaitRunning(CONNECTOR, PARTITIONS);
    }

    private void note(String disruption) {
        LOG.info("Disruption after {} events (at least {} in all): {}", produced.get(), EVENTS, disruption);
    }

    private static void pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    private void awaitAllApplied(String topic) {
        Map<TopicPartition, Long> end = endOffsets(topic);
        Awaitility.await("every record applied").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(storedOffsets(topic)).isEqualTo(end));
    }

    private Map<TopicPartition, Long> endOffsets(String topic) {
        return connect.endOffsets(Set.of(topic));
    }

    private Map<TopicPartition, Long> storedOffsets(String topic) {
        Map<TopicPartition, Long> stored = new HashMap<>();
        db.query("SELECT kafka_partition, next_offset FROM tidemark.kafka_offsets WHERE connector = ? AND topic = ?",
                CONNECTOR, topic).forEach(r -> stored.put(new TopicPartition(topic, (Integer) r.get("kafka_partition")),
                (Long) r.get("next_offset")));
        return stored;
    }

    private void assertTargetEqualsSource() {
        Map<Integer, String> actual = new TreeMap<>();
        db.query("SELECT id, version, balance, name FROM hr.acct").forEach(r -> actual.put((Integer) r.get("id"),
                r.get("version") + "|" + r.get("balance") + "|" + r.get("name")));
        assertThat(actual).hasSameSizeAs(expected).isEqualTo(expected);
    }

    private void assertNoChangeAppliedTwice() {
        long repeated = db.count("SELECT count(*) FROM (SELECT version, lag(version) OVER (PARTITION BY id ORDER BY seq)"
                + " AS previous FROM public.applied) v WHERE previous >= version");
        assertThat(repeated).as("row versions applied again or out of order").isZero();
        LOG.info("{} row versions applied, none twice", db.count("SELECT count(*) FROM public.applied"));
    }
}
