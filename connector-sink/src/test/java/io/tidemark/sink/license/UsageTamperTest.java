package io.tidemark.sink.license;

import static io.tidemark.sink.license.MeteredSink.APPLIED_BYTES_SQL;
import static io.tidemark.sink.license.MeteredSink.PROJECT;
import static io.tidemark.sink.license.MeteredSink.TP;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.sink.PostgresSinkConnector;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * The usage counter is tamper-evident: each way of lowering or losing it by SQL, or by pointing
 * control.schema elsewhere, is refused as TAMPERED through the real write path, and nothing is
 * lost: the refused records wait, and the flow resumes once the row is put back.
 */
class UsageTamperTest {

    @RegisterExtension
    static final MeteredDatabase DB = new MeteredDatabase("tamper");
    private final PostgresTestDatabase db = DB.db();
    private final MeteredSink.Topic topic = new MeteredSink.Topic();
    private final String key = TestLicenses.generous(PROJECT);
    private MeteredSink sink;

    private Map<String, Object> usageRow(String schema) {
        List<Map<String, Object>> rows = db.query("SELECT used_bytes, created_at, last_seen_at, seal, state, reason FROM "
                + schema + ".license_usage WHERE project = ?", PROJECT);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private long storedOffset() {
        return db.count("SELECT coalesce(max(next_offset), 0) FROM tidemark.kafka_offsets");
    }

    /** The refusal is TAMPERED, nothing of the batch was applied and the partition waits. */
    private void assertRefusedAsTampered(long offsetBefore, String... reasonParts) {
        assertThat(sink.blockedReason()).contains(reasonParts);
        assertThat(usageRow("tidemark").get("state")).isEqualTo("TAMPERED");
        assertThat((String) usageRow("tidemark").get("reason")).isEqualTo(sink.blockedReason());
        assertThat(storedOffset()).as("nothing applied").isEqualTo(offsetBefore);
        assertThat(sink.paused).containsExactly(TP);
    }

    /**
     * Runs the statement the refusal ends with, which puts the row back at the mark: the sink
     * resumes by itself, applies the refused records and counts them once.
     */
    private void restoreWithTheGivenStatementAndRedeliver(List<SinkRecord> refused, long usageAfter) {
        db.execute(sink.blockedReason().substring(sink.blockedReason().indexOf("INSERT INTO ")));
        assertThat(sink.awaitResumed(Duration.ofSeconds(5))).isTrue();
        sink.deliver(refused);
        assertThat(usageRow("tidemark").get("used_bytes")).isEqualTo(usageAfter).isEqualTo(db.count(APPLIED_BYTES_SQL));
    }

    /** A sink applies 50 rows (400 bytes) and stops; then, while none runs, the SQL. */
    private void afterRunningChangeWhileDown(String sql) {
        try (MeteredSink first = DB.sink(key)) {
            first.deliver(topic.inserts(10, 60));
        }
        db.execute(sql);
    }

    @Test
    void loweringUsedBytesWhileRunningIsRefusedAndPuttingTheRowBackResumes() {
        sink = DB.sink(key);
        sink.deliver(topic.inserts(10, 60));
        Map<String, Object> before = usageRow("tidemark");
        assertThat(before.get("used_bytes")).isEqualTo(400L);

        db.execute("UPDATE tidemark.license_usage SET used_bytes = 0");
        List<SinkRecord> next = topic.inserts(60, 90);
        sink.deliver(next);
        assertRefusedAsTampered(50, "the usage row of project metered in \"tidemark\".license_usage does not match its "
                + "seal (used_bytes=0", "it was changed outside the sink");

        db.execute("UPDATE tidemark.license_usage SET used_bytes = 400");
        assertThat(sink.awaitResumed(Duration.ofSeconds(5))).as("the row as it was matches its seal again").isTrue();
        sink.deliver(next);
        assertThat(storedOffset()).isEqualTo(80);
        assertThat(usageRow("tidemark").get("used_bytes")).isEqualTo(400L + 240).isEqualTo(db.count(APPLIED_BYTES_SQL));
        assertThat(usageRow("tidemark").get("state")).isEqualTo("OK");
    }

    @Test
    void anOlderSealedCopyPutBackWhileRunningIsBelowTheMarkAndTheGivenStatementRestoresIt() {
        sink = DB.sink(key);
        sink.deliver(topic.inserts(10, 20));
        Map<String, Object> old = usageRow("tidemark");
        sink.deliver(topic.inserts(20, 60));
        assertThat(usageRow("tidemark").get("used_bytes")).isEqualTo(400L);

        // The whole row of an earlier moment, seal and all: the seal verifies, the high-water mark does not.
        db.query("UPDATE tidemark.license_usage SET used_bytes = ?, created_at = ?, last_seen_at = ?, seal = ? RETURNING 1",
                old.get("used_bytes"), old.get("created_at"), old.get("last_seen_at"), old.get("seal"));
        List<SinkRecord> next = topic.inserts(60, 70);
        sink.deliver(next);
        assertRefusedAsTampered(50, "went back to used_bytes=80", "below what this sink committed (used_bytes=400",
                "an older copy of the row was put back. Restore it with: INSERT INTO \"tidemark\".license_usage");

        restoreWithTheGivenStatementAndRedeliver(next, 480);
    }

    @Test
    void deletingTheRowWhileRunningIsRefused() {
        sink = DB.sink(key);
        sink.deliver(topic.inserts(10, 60));
        db.execute("DELETE FROM tidemark.license_usage");
        List<SinkRecord> next = topic.inserts(60, 70);
        sink.deliver(next);
        assertRefusedAsTampered(50, "the usage row of project metered was deleted from \"tidemark\".license_usage while "
                + "this sink ran (it had committed used_bytes=400)", "Restore it with: INSERT INTO");

        restoreWithTheGivenStatementAndRedeliver(next, 480);
    }

    @Test
    void deletingTheRowWhileTheSinkIsDownIsRefusedByTheHistoryItLeaves() {
        afterRunningChangeWhileDown("DELETE FROM tidemark.license_usage");
        sink = DB.sink(key);
        assertThat(usageRow("tidemark").get("state")).as("said at start").isEqualTo("TAMPERED");
        sink.deliver(topic.inserts(60, 70));
        assertRefusedAsTampered(50, "the usage row of project metered is missing from \"tidemark\".license_usage, but "
                + "tidemark holds this project's table states or this connector's Kafka offsets");
        assertThat(usageRow("tidemark").get("used_bytes")).isEqualTo(0L);
        assertThat(usageRow("tidemark").get("seal")).as("a report, not a usage row: it stays refused").isNull();
    }

    @Test
    void editingTheRowWhileTheSinkIsDownIsCaughtByTheSeal() {
        afterRunningChangeWhileDown("UPDATE tidemark.license_usage SET used_bytes = 8");
        sink = DB.sink(key);
        sink.deliver(topic.inserts(60, 70));
        assertRefusedAsTampered(50, "does not match its seal (used_bytes=8");
    }

    @Test
    void aNewControlSchemaCarriesTheProjectsUsageOverAndTheOldOneStopsMetering() {
        MeteredSink.TestClock clock = new MeteredSink.TestClock();
        sink = DB.sink(key, "tidemark", clock);
        sink.deliver(topic.inserts(10, 60)); // 400 bytes in tidemark

        // A second connector of the project, pointed at another control schema: it starts from 400, not 0.
        try (MeteredSink moved = DB.sink(key, "elsewhere", Clock.systemUTC())) {
            assertThat(usageRow("elsewhere").get("used_bytes")).isEqualTo(400L);
            moved.deliver(topic.inserts(60, 70));
            assertThat(moved.blockedReason()).isNull();
            assertThat(usageRow("elsewhere").get("used_bytes")).isEqualTo(480L);
        }

        // The first one finds out at its next look at the other schemas (every 30 s) and stops.
        clock.shift(Duration.ofSeconds(31));
        sink.deliver(topic.inserts(70, 80));
        assertRefusedAsTampered(50, "project metered meters in control schema elsewhere since",
                "set control.schema=elsewhere on every connector of project metered");
    }

    @Test
    void aNewControlSchemaRefusesWhenTheOtherOnesUsageWasChanged() {
        afterRunningChangeWhileDown("UPDATE tidemark.license_usage SET used_bytes = 0");
        try (MeteredSink moved = DB.sink(key, "elsewhere", Clock.systemUTC())) {
            moved.deliver(topic.inserts(60, 70));
            assertThat(moved.blockedReason()).startsWith("control schema tidemark holds a usage row of project metered "
                    + "that does not match its seal (used_bytes=0");
            assertThat(usageRow("elsewhere").get("state")).isEqualTo("TAMPERED");
            assertThat(db.count("SELECT count(*) FROM elsewhere.kafka_offsets WHERE next_offset IS NOT NULL")).isZero();
        }
    }

    @Test
    void offsetsGivenThroughRestBeforeTheFirstRunAreNoSignOfADeletedRow() {
        // PATCH /connectors/{name}/offsets on a connector created STOPPED, which never ran.
        Map<String, String> config = Map.of("name", MeteredSink.CONNECTOR, "connection.url", db.jdbcUrl(),
                "connection.user", db.user(), "connection.password", db.password(), "project.name", PROJECT,
                "topics", MeteredSink.EVENTS.topic());
        assertThat(new PostgresSinkConnector().alterOffsets(config, Map.of(TP, 5L))).isTrue();
        assertThat(storedOffset()).isEqualTo(5);

        sink = DB.sink(key);
        List<SinkRecord> records = topic.inserts(10, 20);
        sink.deliver(records.subList(5, 10));
        assertThat(sink.blockedReason()).isNull();
        assertThat(storedOffset()).isEqualTo(10);
        assertThat(usageRow("tidemark").get("used_bytes")).isEqualTo(40L);
    }

    @Test
    void theTableCommentThatMarksAControlSchemaIsTheOneTheMigrationWrites() {
        sink = DB.sink(key);
        assertThat(db.scalar("SELECT obj_description('tidemark.license_usage'::regclass, 'pg_class')"))
                .isEqualTo(UsageLedger.TABLE_COMMENT);
    }

    @Test
    void theOffsetsMetadataCarriesTheSealedHighWaterMark() {
        sink = DB.sink(key);
        assertThat(sink.meter.commitMetadata()).as("a new project: nothing committed yet").isNull();
        sink.deliver(topic.inserts(10, 60));
        Map<String, Object> row = usageRow("tidemark");
        assertThat(sink.meter.commitMetadata()).startsWith("tidemark-usage v1 used_bytes=400 last_seen_at=")
                .contains(" seal=" + row.get("seal") + " ").endsWith(" project=metered")
                .hasSizeLessThan(400);
    }
}
