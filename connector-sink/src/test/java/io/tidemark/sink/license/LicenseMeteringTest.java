package io.tidemark.sink.license;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseVerifier;
import io.tidemark.sink.apply.ConnectionFactory;
import io.tidemark.sink.apply.ConsumerControl;
import io.tidemark.sink.apply.ErrorPolicies;
import io.tidemark.sink.apply.SinkWriter;
import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.config.NameCase;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.errors.RetryPolicy;
import io.tidemark.sink.naming.NameMapper;
import io.tidemark.sink.schema.TableModels;
import io.tidemark.sink.types.ColumnTypes;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * Metering through the real write path and a real PostgreSQL: usage grows by exactly the bytes
 * applied, the flow stops before the limit is crossed and loses nothing, and a new key resumes it.
 */
class LicenseMeteringTest {

    private static final String PROJECT = "metered";
    private static final Schema KEY = SchemaBuilder.struct().name("k").field("ID", Schema.INT64_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("v")
            .field("ID", Schema.INT64_SCHEMA).field("NAME", Schema.OPTIONAL_STRING_SCHEMA).build();
    /** The license measure of the rows, computed by PostgreSQL from what the target holds. */
    private static final String APPLIED_BYTES_SQL =
            "SELECT coalesce(sum(octet_length(id::text) + coalesce(octet_length(name), 0)), 0) FROM hr.items";

    private static PostgresTestDatabase db;
    private final DebeziumEvents events = new DebeziumEvents("server1", "HR", "ITEMS", KEY, ROW);
    private final TopicPartition tp = new TopicPartition(events.topic(), 0);
    private final List<TopicPartition> paused = new ArrayList<>();
    private final List<Map<TopicPartition, Long>> rewinds = new ArrayList<>();
    private SinkWriter writer;
    private long offset;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("license");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void clean() {
        db.execute("DROP SCHEMA IF EXISTS hr CASCADE", "DROP SCHEMA IF EXISTS tidemark CASCADE");
    }

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.stop();
        }
    }

    private SinkWriter writer(String configKey) {
        ConsumerControl consumer = new ConsumerControl() {
            public void rewind(Map<TopicPartition, Long> offsets) {
                rewinds.add(Map.copyOf(offsets));
            }

            public void pause(java.util.Collection<TopicPartition> partitions) {
                paused.addAll(partitions);
            }

            public void resume(java.util.Collection<TopicPartition> partitions) {
                paused.removeAll(partitions);
            }

            public void wakeUpWithin(long millis) {
            }
        };
        ControlSchema control = new ControlSchema("tidemark");
        LicenseKeyring keyring = new LicenseKeyring(LicenseVerifier.builtIn(), PROJECT,
                LicenseClaims.ORACLE, LicenseClaims.POSTGRESQL);
        LicenseMeter meter = new LicenseMeter(keyring, configKey, PROJECT, 0.9, control, Clock.systemUTC());
        ConnectionFactory connections = () -> {
            Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
            c.setAutoCommit(false);
            return c;
        };
        SinkWriter w = new SinkWriter(new SinkWriter.Settings("metered-sink", 100, 60_000, new RetryPolicy(20_000, 20, 100),
                "__debezium_unavailable_value", true, true, 50), connections, control, PROJECT,
                new TableModels(new NameMapper(NameCase.LOWER, null, Map.of(), Map.of(), Map.of()), ColumnTypes.standard()),
                new ErrorPolicies(ErrorPolicy.FAIL, Map.of()), consumer, meter);
        w.start();
        w.open(List.of(tp));
        return w;
    }

    /** Records with ids from..to-1 at consecutive offsets; each row measures 2 + 6 = 8 bytes for ids 10..99. */
    private List<SinkRecord> inserts(int from, int to) {
        List<SinkRecord> records = new ArrayList<>();
        for (int id = from; id < to; id++) {
            Struct row = events.row("ID", (long) id, "NAME", "item" + (char) ('a' + id % 26) + "x");
            records.add(new SinkRecord(events.topic(), 0, KEY, events.keyOf(row), events.envelopeSchema(),
                    events.envelope("c", null, row), offset++));
        }
        return records;
    }

    /** Feeds records as Connect would: in polls of 50, then a commit; records below a rewind come again. */
    private void deliver(List<SinkRecord> records) {
        for (int i = 0; i < records.size(); i += 50) {
            writer.put(records.subList(i, Math.min(records.size(), i + 50)));
        }
        writer.preCommit();
    }

    private long usage() {
        return db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = ?", PROJECT);
    }

    @Test
    void usageGrowsByExactlyTheAppliedBytes() {
        writer = writer(TestLicenses.generous(PROJECT));
        deliver(inserts(10, 60));
        assertThat(usage()).isEqualTo(50 * 8).isEqualTo(db.count(APPLIED_BYTES_SQL));
        assertThat(db.scalar("SELECT state FROM tidemark.license_usage")).isEqualTo("OK");
    }

    @Test
    void stopsBeforeTheLimitLosesNothingAndANewKeyRowResumesWithoutRestart() throws Exception {
        // 1000 bytes. The first batch (100 records) collapses to 80 rows, 640 bytes, and fits; the second
        // (60 records, 60 rows, 480 bytes) would cross the limit.
        writer = writer(TestLicenses.issue(PROJECT, 1000, Instant.now().plus(Duration.ofDays(1))));
        List<SinkRecord> all = inserts(10, 90);
        all.addAll(inserts(10, 90)); // the same rows again, as updates would: 160 records, 80 rows
        for (int i = 0; i < 100; i += 50) {
            writer.put(all.subList(i, i + 50));
        }
        writer.preCommit(); // the full batch went to the applier thread; the commit point waits for it
        assertThat(usage()).isEqualTo(640);
        writer.put(all.subList(100, 160));
        writer.preCommit();
        assertThat(usage()).isEqualTo(640).isLessThanOrEqualTo(1000);
        assertThat(writer.blockedReason()).contains("exhausted").contains("used 640 of 1000 bytes")
                .contains("needs 480 more");
        assertThat(paused).containsExactly(tp);
        assertThat(db.scalar("SELECT state FROM tidemark.license_usage")).isEqualTo("EXHAUSTED");
        long stored = db.count("SELECT next_offset FROM tidemark.kafka_offsets");
        assertThat(stored).isEqualTo(100); // exactly the first unapplied record
        assertThat(rewinds.get(rewinds.size() - 1)).containsEntry(tp, 100L);

        // A larger key installed as a row: the writer resumes by itself and applies the rest once.
        db.execute("INSERT INTO tidemark.license_key (project, license_key) VALUES ('" + PROJECT + "', '"
                + TestLicenses.issue(PROJECT, 10_000, Instant.now().plus(Duration.ofDays(1))) + "')");
        Thread.sleep(60);
        writer.put(List.of());
        assertThat(writer.blockedReason()).isNull();
        assertThat(paused).isEmpty();
        deliver(all.subList(100, all.size()));
        assertThat(db.count("SELECT next_offset FROM tidemark.kafka_offsets")).isEqualTo(160);
        assertThat(usage()).isEqualTo(640 + 480);
        assertThat(db.scalar("SELECT key_id FROM tidemark.license_usage")).asString().startsWith("test-");
    }

    @Test
    void onceAFlushIsRefusedTheRestOfThePollIsHeldBackNotBuffered() {
        writer = writer(TestLicenses.issue(PROJECT, 100, Instant.now().plus(Duration.ofDays(1))));
        TopicPartition other = new TopicPartition(events.topic(), 1);
        writer.open(List.of(other));
        // One poll: 100 records fill a batch that goes to the applier thread (and will be refused),
        // 100 more fill the next one, whose flush first takes the refusal back; then 50 of another partition.
        List<SinkRecord> poll = inserts(10, 210);
        for (int id = 300; id < 350; id++) {
            Struct row = events.row("ID", (long) id, "NAME", "other");
            poll.add(new SinkRecord(events.topic(), 1, KEY, events.keyOf(row), events.envelopeSchema(),
                    events.envelope("c", null, row), id - 300));
        }
        writer.put(poll);
        assertThat(writer.blockedReason()).contains("exhausted");
        assertThat(rewinds.get(rewinds.size() - 1)).as("the other partition goes back at once")
                .containsEntry(other, 0L);
        assertThat(paused).contains(tp, other);
        writer.preCommit();
        assertThat(usage()).isZero();
        assertThat(db.count("SELECT count(*) FROM tidemark.kafka_offsets")).as("nothing applied").isZero();
    }

    @Test
    void expiredKeyStopsTheFlowFromItsExpiry() {
        String expired = TestLicenses.issue(PROJECT, "oracle", 1 << 20, Instant.now().minus(Duration.ofDays(2)),
                Instant.now().minus(Duration.ofDays(1)));
        writer = writer(expired);
        deliver(inserts(10, 20));
        assertThat(writer.blockedReason()).contains("is not valid now");
        assertThat(db.count("SELECT count(*) FROM tidemark.kafka_offsets")).isZero();
        assertThat(db.scalar("SELECT state FROM tidemark.license_usage")).isEqualTo("EXPIRED");
        assertThat(usage()).isZero();
    }

    @Test
    void aCrashInTheMiddleNeverCountsTwice() {
        writer = writer(TestLicenses.generous(PROJECT));
        List<SinkRecord> first = inserts(10, 60);
        deliver(first);
        db.terminateOtherSessions(); // the next flush fails with the connection
        List<SinkRecord> second = inserts(60, 99);
        deliver(second);
        // Connect delivers again from where the writer rewound; after the backoff it applies once.
        long deadline = System.currentTimeMillis() + 10_000;
        while (db.count("SELECT count(*) FROM tidemark.kafka_offsets WHERE next_offset = " + offset) == 0
                && System.currentTimeMillis() < deadline) {
            deliver(second);
            sleep(30);
        }
        assertThat(db.count("SELECT count(*) FROM hr.items")).isEqualTo(89);
        assertThat(usage()).isEqualTo(db.count(APPLIED_BYTES_SQL)).isEqualTo(89 * 8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
