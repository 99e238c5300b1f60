package io.tidemark.sink.license;

import static io.tidemark.sink.license.MeteredSink.APPLIED_BYTES_SQL;
import static io.tidemark.sink.license.MeteredSink.PROJECT;
import static io.tidemark.sink.license.MeteredSink.TP;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.sink.control.ControlSchema;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * Metering through the real write path and a real PostgreSQL: usage grows by exactly the bytes
 * applied, the flow stops before the limit is crossed and loses nothing, and a new key resumes it;
 * without any key, the same holds for the trial allowance.
 */
class LicenseMeteringTest {

    private static final String USAGE_TABLE = new ControlSchema("tidemark").table("license_usage");
    @RegisterExtension
    static final MeteredDatabase DB = new MeteredDatabase("license");
    private final PostgresTestDatabase db = DB.db();
    private final MeteredSink.Topic topic = new MeteredSink.Topic();
    private MeteredSink sink;

    private long usage() {
        return db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = ?", PROJECT);
    }

    private Object state() {
        return db.scalar("SELECT state FROM tidemark.license_usage WHERE project = ?", PROJECT);
    }

    @Test
    void usageGrowsByExactlyTheAppliedBytes() {
        sink = DB.sink(TestLicenses.generous(PROJECT));
        sink.deliver(topic.inserts(10, 60));
        assertThat(usage()).isEqualTo(50 * 8).isEqualTo(db.count(APPLIED_BYTES_SQL));
        assertThat(state()).isEqualTo("OK");
    }

    @Test
    void stopsBeforeTheLimitLosesNothingAndANewKeyRowResumesWithoutRestart() {
        // 644 bytes. The first batch (100 records) collapses to 80 rows, 640 bytes, and fits; the second
        // (60 records, 60 rows, 480 bytes) does not, nor do its halves, down to one row of 8 bytes.
        sink = DB.sink(TestLicenses.issue(PROJECT, 644, Instant.now().plus(Duration.ofDays(1))));
        List<SinkRecord> all = topic.inserts(10, 90);
        all.addAll(topic.inserts(10, 90)); // the same rows again, as updates would: 160 records, 80 rows
        for (int i = 0; i < 100; i += 50) {
            sink.writer.put(all.subList(i, i + 50));
        }
        sink.writer.preCommit(); // the full batch went to the applier thread; the commit point waits for it
        assertThat(usage()).isEqualTo(640);
        sink.deliverFollowingRewinds(all, 100);
        assertThat(usage()).isEqualTo(640).isLessThanOrEqualTo(644);
        assertThat(sink.blockedReason()).contains("exhausted").contains("used 640 of 644 bytes")
                .contains("needs 8 more");
        assertThat(sink.paused).containsExactly(TP);
        assertThat(state()).isEqualTo("EXHAUSTED");
        long stored = db.count("SELECT next_offset FROM tidemark.kafka_offsets");
        assertThat(stored).isEqualTo(100); // exactly the first unapplied record

        // A larger key installed as a row: the writer resumes by itself and applies the rest once.
        installKeyRow(TestLicenses.issue(PROJECT, 10_000, Instant.now().plus(Duration.ofDays(1))));
        assertThat(sink.awaitResumed(Duration.ofSeconds(5))).isTrue();
        assertThat(sink.paused).isEmpty();
        sink.deliver(all.subList(100, all.size()));
        assertThat(db.count("SELECT next_offset FROM tidemark.kafka_offsets")).isEqualTo(160);
        assertThat(usage()).isEqualTo(640 + 480);
        assertThat(db.scalar("SELECT key_id FROM tidemark.license_usage")).asString().startsWith("test-");
    }

    @Test
    void aBatchLargerThanTheRoomLeftIsSplitSoThatTheLastPartOfTheVolumeIsUsed() {
        // 1000 bytes: 640 used, the next batch needs 480; the 360 left take 45 more rows in smaller flushes.
        sink = DB.sink(TestLicenses.issue(PROJECT, 1000, Instant.now().plus(Duration.ofDays(1))));
        List<SinkRecord> all = topic.inserts(10, 90);
        all.addAll(topic.inserts(10, 90));
        sink.deliver(all.subList(0, 100));
        assertThat(usage()).isEqualTo(640);
        sink.deliverFollowingRewinds(all, 100);
        assertThat(usage()).as("the whole volume, and not a byte more").isEqualTo(1000);
        assertThat(db.count("SELECT next_offset FROM tidemark.kafka_offsets")).isEqualTo(145);
        assertThat(sink.blockedReason()).contains("exhausted").contains("used 1000 of 1000 bytes");
        assertThat(sink.paused).containsExactly(TP);
        assertThat(state()).isEqualTo("EXHAUSTED");
        // Checks every 50 ms for a second: with no room at all, resuming would only refuse again.
        assertThat(sink.awaitResumed(Duration.ofSeconds(1))).isFalse();

        installKeyRow(TestLicenses.issue(PROJECT, 1120, Instant.now().plus(Duration.ofDays(1)))); // exactly enough
        assertThat(sink.awaitResumed(Duration.ofSeconds(5))).isTrue();
        sink.deliverFollowingRewinds(all, 145);
        assertThat(db.count("SELECT next_offset FROM tidemark.kafka_offsets")).isEqualTo(160);
        assertThat(usage()).isEqualTo(1120);
    }

    @Test
    void onceAFlushIsRefusedTheRestOfThePollIsHeldBackNotBuffered() {
        sink = DB.sink(TestLicenses.issue(PROJECT, 8, Instant.now().plus(Duration.ofDays(1))));
        sink.deliver(topic.inserts(10, 11)); // one row of 8 bytes: the volume is used up, no room left to split into
        TopicPartition other = new TopicPartition(MeteredSink.EVENTS.topic(), 1);
        sink.writer.open(List.of(other));
        // One poll: 100 records fill a batch that goes to the applier thread (and will be refused),
        // 100 more fill the next one, whose flush first takes the refusal back; then 50 of another partition.
        List<SinkRecord> poll = topic.inserts(10, 210);
        for (int id = 300; id < 350; id++) {
            Struct row = MeteredSink.EVENTS.row("ID", (long) id, "NAME", "other");
            poll.add(new SinkRecord(MeteredSink.EVENTS.topic(), 1, MeteredSink.KEY, MeteredSink.EVENTS.keyOf(row),
                    MeteredSink.EVENTS.envelopeSchema(), MeteredSink.EVENTS.envelope("c", null, row), id - 300));
        }
        sink.writer.put(poll);
        assertThat(sink.blockedReason()).contains("exhausted");
        assertThat(sink.rewinds.get(sink.rewinds.size() - 1)).as("the other partition goes back at once")
                .containsEntry(other, 0L);
        assertThat(sink.paused).contains(TP, other);
        sink.writer.preCommit();
        assertThat(usage()).isEqualTo(8);
        assertThat(db.count("SELECT count(*) FROM tidemark.kafka_offsets WHERE next_offset IS NOT NULL")).as("nothing more applied").isEqualTo(1);
        assertThat(db.count("SELECT next_offset FROM tidemark.kafka_offsets WHERE next_offset IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void expiredKeyStopsTheFlowFromItsExpiry() {
        String expired = TestLicenses.issue(PROJECT, "oracle", 1 << 20, Instant.now().minus(Duration.ofDays(2)),
                Instant.now().minus(Duration.ofDays(1)));
        sink = DB.sink(expired);
        sink.deliver(topic.inserts(10, 20));
        assertThat(sink.blockedReason()).contains("is not valid at");
        assertThat(db.count("SELECT count(*) FROM tidemark.kafka_offsets WHERE next_offset IS NOT NULL")).isZero();
        assertThat(state()).isEqualTo("EXPIRED");
        assertThat(usage()).isZero();
    }

    @Test
    void aCrashInTheMiddleNeverCountsTwice() {
        sink = DB.sink(TestLicenses.generous(PROJECT));
        sink.deliver(topic.inserts(10, 60));
        db.terminateOtherSessions(); // the next flush fails with the connection
        List<SinkRecord> second = topic.inserts(60, 99);
        sink.deliver(second);
        // Connect delivers again from where the writer rewound; after the backoff it applies once.
        long deadline = System.currentTimeMillis() + 10_000;
        while (db.count("SELECT count(*) FROM tidemark.kafka_offsets WHERE next_offset = " + topic.end()) == 0
                && System.currentTimeMillis() < deadline) {
            sink.deliver(second);
            sleep(30);
        }
        assertThat(db.count("SELECT count(*) FROM hr.items")).isEqualTo(89);
        assertThat(usage()).isEqualTo(db.count(APPLIED_BYTES_SQL)).isEqualTo(89 * 8);
    }

    @Test
    void withoutAnyKeyTheProjectRunsOnTheTrialAllowance() {
        sink = DB.sink(null);
        assertThat(state()).as("said from the start, before any flush").isEqualTo("TRIAL");
        sink.deliver(topic.inserts(10, 60));
        assertThat(sink.blockedReason()).isNull();
        assertThat(usage()).isEqualTo(400).isEqualTo(db.count(APPLIED_BYTES_SQL));
        assertThat(state()).isEqualTo("TRIAL");
        assertThat(db.count("SELECT max_bytes FROM tidemark.license_usage")).isEqualTo(1_000_000_000L);
        assertThat(db.scalar("SELECT key_id FROM tidemark.license_usage")).isNull();
        assertThat((String) db.scalar("SELECT reason FROM tidemark.license_usage"))
                .isEqualTo((1_000_000_000L - 400) + " bytes left of 1000000000 (the trial allowance)");
    }

    @Test
    void theTrialStopsAtItsLimitLosingNothingAndAKeyResumesIt() {
        // As if the project had applied all but 500 bytes of its trial: the row as the sink writes it, sealed.
        new MeteredSink(db, null).close(); // makes the control schema and the row
        db.execute(UsageRow.sealed(PROJECT, Allowance.TRIAL_BYTES - 500, Instant.now(), Instant.now())
                .restoreSql(USAGE_TABLE));

        sink = DB.sink(null);
        sink.deliver(topic.inserts(10, 60)); // 400 bytes: fits, and reaches the warning threshold
        assertThat(state()).isEqualTo("LOW");
        List<SinkRecord> over = topic.inserts(60, 80);
        // 160 more would cross the trial's 10^9 bytes: smaller flushes take 12 rows, 96 of the 100 bytes left.
        sink.deliverFollowingRewinds(over, 50);
        assertThat(sink.blockedReason()).startsWith("the trial allowance is used up: project metered has no license "
                + "key and has used 999999996 of 1000000000 bytes (the trial allowance) and the next batch needs 8 more");
        assertThat(state()).isEqualTo("EXHAUSTED");
        assertThat(usage()).isEqualTo(Allowance.TRIAL_BYTES - 4);
        assertThat(db.count("SELECT next_offset FROM tidemark.kafka_offsets")).isEqualTo(62);
        assertThat(sink.paused).containsExactly(TP);

        installKeyRow(TestLicenses.issue(PROJECT, 2_000_000_000L, Instant.now().plus(Duration.ofDays(1))));
        assertThat(sink.awaitResumed(Duration.ofSeconds(5))).isTrue();
        sink.deliver(over); // Connect delivers them again from the rewound offset
        assertThat(db.count("SELECT next_offset FROM tidemark.kafka_offsets")).isEqualTo(70);
        assertThat(usage()).isEqualTo(Allowance.TRIAL_BYTES + 60);
        assertThat(state()).isEqualTo("OK");
    }

    @Test
    void aKeyOfferedButRefusedIsNoTrial() {
        sink = DB.sink(TestLicenses.signedByAnotherVendor(PROJECT));
        sink.deliver(topic.inserts(10, 20));
        assertThat(sink.blockedReason()).startsWith("no valid license key for project metered: license.key: the license "
                        + "key's signature does not verify with any of the vendor's public keys built into Tidemark (")
                .contains(TestLicenses.VENDOR_FINGERPRINT).contains("sha256:989b01e5cbfebea3");
        assertThat(state()).isEqualTo("NO_KEY");
        assertThat(usage()).isZero();
        assertThat(db.count("SELECT count(*) FROM tidemark.kafka_offsets WHERE next_offset IS NOT NULL")).isZero();
    }

    private void installKeyRow(String key) {
        db.execute("INSERT INTO tidemark.license_key (project, license_key) VALUES ('" + PROJECT + "', '" + key + "')");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
