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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * A steady stream of inserts, updates and deletes (each delete followed by its tombstone) of
 * accounts, keyed by id over several partitions, with the source's state after every event kept
 * in memory. The target table exists beforehand with a trigger that records every row version it
 * receives, so a test can check the three things exactly-once means: the target equals the
 * source, no row version was applied twice (versions rise strictly per row, in apply order), and
 * the offsets PostgreSQL holds equal the topic's end.
 */
final class AccountWorkload {

    private static final Logger LOG = LoggerFactory.getLogger(AccountWorkload.class);

    static final Schema KEY = SchemaBuilder.struct().name("server1.HR.ACCT.Key").field("ID", Schema.INT32_SCHEMA).build();
    static final Schema ROW = SchemaBuilder.struct().name("server1.HR.ACCT.Value")
            .field("ID", Schema.INT32_SCHEMA)
            .field("VERSION", Schema.INT64_SCHEMA)
            .field("BALANCE", Schema.OPTIONAL_INT64_SCHEMA)
            .field("NAME", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private final ConnectTestCluster connect;
    private final PostgresTestDatabase db;
    private final DebeziumEvents events = new DebeziumEvents("server1", "HR", "ACCT", KEY, ROW);
    private final int partitions;
    private final int keys;
    private final Random random;
    /** The source's state after every event: id → "version|balance|name". */
    private final Map<Integer, String> expected = new TreeMap<>();
    private final Map<Integer, Long> versions = new HashMap<>();
    /** The version of every delete event, per id: what an applied delete must stand for. */
    private final Map<Integer, java.util.TreeSet<Long>> deletes = new HashMap<>();
    private final AtomicInteger produced = new AtomicInteger();

    AccountWorkload(ConnectTestCluster connect, PostgresTestDatabase db, int partitions, int keys, long seed) {
        this.connect = connect;
        this.db = db;
        this.partitions = partitions;
        this.keys = keys;
        this.random = new Random(seed);
    }

    String topic() {
        return events.topic();
    }

    int produced() {
        return produced.get();
    }

    /** Creates the topic, and the target table with the trigger that logs every applied row version. */
    void prepare() {
        connect.createTopic(events.topic(), partitions);
        db.execute("CREATE SCHEMA hr",
                "CREATE TABLE hr.acct (id integer PRIMARY KEY, version bigint, balance bigint, name text)",
                "CREATE TABLE public.applied (seq bigserial PRIMARY KEY, id integer, version bigint, deleted boolean)",
                // A delete carries no new version: it logs the version it removed.
                "CREATE FUNCTION public.note_applied() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF TG_OP = 'DELETE' THEN INSERT INTO public.applied (id, version, deleted) VALUES (OLD.id, OLD.version, true);"
                        + " RETURN OLD; END IF;"
                        + " INSERT INTO public.applied (id, version, deleted) VALUES (NEW.id, NEW.version, false); RETURN NEW; END $$",
                "CREATE TRIGGER note_applied AFTER INSERT OR UPDATE OR DELETE ON hr.acct FOR EACH ROW"
                        + " EXECUTE FUNCTION public.note_applied()");
    }

    /**
     * Produces at least {@code minEvents}, and goes on until {@code stop} is set, pausing
     * {@code pauseMs} after every {@code burst} events so that the flow spreads over the test.
     */
    void produce(int minEvents, AtomicBoolean stop, int burst, long pauseMs) {
        try (KafkaProducer<byte[], byte[]> producer = connect.producer()) {
            for (int i = 0; i < minEvents || !stop.get(); i++) {
                for (ProducerRecord<byte[], byte[]> r : nextEvent()) {
                    producer.send(r);
                }
                produced.incrementAndGet();
                if (i % burst == burst - 1) {
                    producer.flush();
                    Thread.sleep(pauseMs);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<ProducerRecord<byte[], byte[]>> nextEvent() {
        int id = random.nextInt(keys);
        long version = versions.merge(id, 1L, Long::sum);
        Struct row = events.row("ID", id, "VERSION", version, "BALANCE", (long) random.nextInt(1_000_000),
                "NAME", "account " + id + " v" + version);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(2);
        if (!expected.containsKey(id)) {
            out.add(events.insert(row));
            expected.put(id, version + "|" + row.get("BALANCE") + "|" + row.get("NAME"));
        } else if (random.nextInt(10) < 7) {
            out.add(events.update(row, row));
            expected.put(id, version + "|" + row.get("BALANCE") + "|" + row.get("NAME"));
        } else {
            out.add(events.delete(row));
            out.add(events.tombstone(row));
            expected.remove(id);
            deletes.computeIfAbsent(id, k -> new java.util.TreeSet<>()).add(version);
        }
        List<ProducerRecord<byte[], byte[]>> routed = new ArrayList<>(out.size());
        out.forEach(r -> routed.add(DebeziumEvents.toPartition(r, id % partitions)));
        return routed;
    }

    Map<TopicPartition, Long> endOffsets() {
        return connect.endOffsets(Set.of(events.topic()));
    }

    Map<TopicPartition, Long> storedOffsets(String connector) {
        Map<TopicPartition, Long> stored = new HashMap<>();
        db.query("SELECT kafka_partition, next_offset FROM tidemark.kafka_offsets WHERE connector = ? AND topic = ?"
                + " AND next_offset IS NOT NULL", connector, events.topic()).forEach(r -> stored.put(
                new TopicPartition(events.topic(), (Integer) r.get("kafka_partition")), (Long) r.get("next_offset")));
        return stored;
    }

    void awaitAllApplied(String connector, Duration atMost) {
        Map<TopicPartition, Long> end = endOffsets();
        Awaitility.await("every record applied").atMost(atMost).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(storedOffsets(connector)).isEqualTo(end));
    }

    /** The number of rows compared. */
    int assertTargetEqualsSource() {
        Map<Integer, String> actual = new TreeMap<>();
        db.query("SELECT id, version, balance, name FROM hr.acct").forEach(r -> actual.put((Integer) r.get("id"),
                r.get("version") + "|" + r.get("balance") + "|" + r.get("name")));
        assertThat(actual).hasSameSizeAs(expected).isEqualTo(expected);
        return actual.size();
    }

    /** Row versions and deletes the target received so far (the trigger's count, not the writer's). */
    long appliedSoFar() {
        return db.count("SELECT count(*) FROM public.applied");
    }

    /**
     * The number of row versions and deletes the target received, none of them twice, read from
     * the trigger's log: per id, every upserted version is above the last one applied before it
     * (an update or a delete); every delete removed a version {@code v} that the source deleted
     * afterwards (a delete event of version {@code d > v}), and what the target received next for
     * that id came after that delete ({@code > d}). A delete applied again, after the row came
     * back, fails the second rule; a delete lost, the content check.
     */
    long assertNoChangeAppliedTwice() {
        long repeated = db.count("SELECT count(*) FROM (SELECT version, deleted, lag(version) OVER (PARTITION BY id ORDER BY seq)"
                + " AS previous FROM public.applied) v WHERE NOT deleted AND previous >= version");
        assertThat(repeated).as("row versions applied again or out of order").isZero();
        List<Map<String, Object>> log = db.query("SELECT id, version, deleted FROM public.applied ORDER BY id, seq");
        long deleted = 0;
        for (int i = 0; i < log.size(); i++) {
            Map<String, Object> row = log.get(i);
            if (!(Boolean) row.get("deleted")) {
                continue;
            }
            deleted++;
            int id = (Integer) row.get("id");
            long removed = (Long) row.get("version");
            Long deleteEvent = deletes.getOrDefault(id, new java.util.TreeSet<>()).higher(removed);
            assertThat(deleteEvent).as("id %d: the target deleted version %d, which the source never deleted", id, removed)
                    .isNotNull();
            if (i + 1 < log.size() && log.get(i + 1).get("id").equals(id)) {
                assertThat((Long) log.get(i + 1).get("version")).as("id %d: applied after the delete of version %d"
                        + " (source delete event %d): a delete applied again or out of order", id, removed, deleteEvent)
                        .isGreaterThan(deleteEvent);
            }
        }
        assertThat(deleted).as("deletes the target received").isPositive();
        long applied = log.size();
        LOG.info("{} row versions applied ({} of them deletes), none twice", applied, deleted);
        return applied;
    }

    /** Wipes the target (for a replay from the start). */
    void truncateTarget() {
        db.execute("TRUNCATE hr.acct", "TRUNCATE public.applied");
    }
}
