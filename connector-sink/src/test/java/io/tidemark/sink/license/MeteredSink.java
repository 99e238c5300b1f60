package io.tidemark.sink.license;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseVerifier;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.errors.RetryPolicy;
import io.tidemark.sink.writer.ConsumerControl;
import io.tidemark.sink.writer.SinkWriter;
import io.tidemark.sink.writer.TestWriters;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * A sink writer with a license meter over a real PostgreSQL, fed as Connect would feed it: the
 * real write path, without a worker. The meter's clock can be set, to turn it back or forth.
 */
final class MeteredSink implements AutoCloseable {

    static final String PROJECT = "metered";
    static final String CONNECTOR = "metered-sink";
    static final Schema KEY = SchemaBuilder.struct().name("k").field("ID", Schema.INT64_SCHEMA).build();
    static final Schema ROW = SchemaBuilder.struct().name("v")
            .field("ID", Schema.INT64_SCHEMA).field("NAME", Schema.OPTIONAL_STRING_SCHEMA).build();
    static final DebeziumEvents EVENTS = new DebeziumEvents("server1", "HR", "ITEMS", KEY, ROW);
    static final TopicPartition TP = new TopicPartition(EVENTS.topic(), 0);
    /** The license measure of the rows, computed by PostgreSQL from what the target holds. */
    static final String APPLIED_BYTES_SQL =
            "SELECT coalesce(sum(octet_length(id::text) + coalesce(octet_length(name), 0)), 0) FROM hr.items";

    /** Records of the test topic at consecutive offsets, shared by the writers of one test. */
    static final class Topic {
        private long offset;

        /** Inserts of ids from..to-1; each row measures 2 + 6 = 8 bytes for ids 10..99. */
        List<SinkRecord> inserts(int from, int to) {
            List<SinkRecord> records = new ArrayList<>();
            for (int id = from; id < to; id++) {
                Struct row = EVENTS.row("ID", (long) id, "NAME", "item" + (char) ('a' + id % 26) + "x");
                records.add(new SinkRecord(EVENTS.topic(), 0, KEY, EVENTS.keyOf(row), EVENTS.envelopeSchema(),
                        EVENTS.envelope("c", null, row), offset++));
            }
            return records;
        }

        long end() {
            return offset;
        }
    }

    /** A clock the test sets; it starts at the machine's time. */
    static final class TestClock extends Clock {
        private volatile Duration shift = Duration.ZERO;

        void shift(Duration by) {
            shift = by;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final List<TopicPartition> paused = new ArrayList<>();
    final List<Map<TopicPartition, Long>> rewinds = new ArrayList<>();
    final LicenseMeter meter;
    final SinkWriter writer;

    MeteredSink(PostgresTestDatabase db, String configKey) {
        this(db, configKey, "tidemark", Clock.systemUTC());
    }

    MeteredSink(PostgresTestDatabase db, String configKey, String controlSchema, Clock clock) {
        ConsumerControl consumer = new ConsumerControl() {
            public void rewind(Map<TopicPartition, Long> offsets) {
                rewinds.add(Map.copyOf(offsets));
            }

            public void pause(Collection<TopicPartition> partitions) {
                paused.addAll(partitions);
            }

            public void resume(Collection<TopicPartition> partitions) {
                paused.removeAll(partitions);
            }

            public void wakeUpWithin(long millis) {
            }
        };
        ControlSchema control = new ControlSchema(controlSchema);
        LicenseKeyring keyring = new LicenseKeyring(LicenseVerifier.builtIn(), PROJECT, LicenseClaims.ORACLE,
                LicenseClaims.POSTGRESQL);
        meter = new LicenseMeter(keyring, configKey, PROJECT, CONNECTOR, 0.9, control, clock);
        writer = TestWriters.against(db).connector(CONNECTOR).project(PROJECT).controlSchema(controlSchema)
                .batchSize(100).retry(new RetryPolicy(20_000, 20, 100)).resumeCheckIntervalMs(50).consumer(consumer)
                .guard(meter).start();
        writer.open(List.of(TP));
    }

    /** Feeds records as Connect would: in polls of 50, then a commit. */
    void deliver(List<SinkRecord> records) {
        for (int i = 0; i < records.size(); i += 50) {
            writer.put(records.subList(i, Math.min(records.size(), i + 50)));
        }
        writer.preCommit();
        writer.put(List.of()); // Connect's next poll: rewinds asked for in preCommit reach the consumer here
    }

    /**
     * Delivers the records of {@code topic} from offset {@code from} on, then again from where the
     * writer rewinds to, as Connect would, until it asks for nothing more or it stays paused (at
     * most 10 rounds).
     */
    void deliverFollowingRewinds(List<SinkRecord> topic, long from) {
        long next = from;
        for (int round = 0; round < 10; round++) {
            long start = next;
            rewinds.clear();
            deliver(topic.stream().filter(r -> r.kafkaOffset() >= start).toList());
            writer.put(List.of()); // claims what is due: a partition claimed again after a failover resumes here
            if (paused.contains(TP) || rewinds.stream().noneMatch(r -> r.containsKey(TP))) {
                return;
            }
            next = rewinds.stream().filter(r -> r.containsKey(TP)).reduce((a, b) -> b).orElseThrow().get(TP);
        }
    }

    String blockedReason() {
        return writer.blockedReason();
    }

    /** Polls (empty) until the writer resumes by itself or the time is up; true if it resumed. */
    boolean awaitResumed(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (writer.blockedReason() != null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            writer.put(List.of());
        }
        return writer.blockedReason() == null;
    }

    @Override
    public void close() {
        writer.stop();
    }
}
