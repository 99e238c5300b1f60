package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.common.license.LicenseIssuer;
import io.tidemark.common.license.LicenseKeys;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * License metering end to end, the sink loaded from its ZIP like a user's worker loads it: keys are
 * trusted only if the vendor keys built in (and, here, the test vendor's on the worker's class path)
 * verify them; the limit, or usage lowered by SQL, stops the flow without losing a record; a new key,
 * or the row put back, resumes it; without any key a project runs on the trial allowance.
 */
class LicenseIT {

    private static final Logger LOG = LoggerFactory.getLogger(LicenseIT.class);
    private static final String PRODUCTION_VENDOR_KEY = "sha256:989b01e5cbfebea3";
    private static final Schema KEY = SchemaBuilder.struct().name("k").field("ID", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("v")
            .field("ID", Schema.INT32_SCHEMA).field("NAME", Schema.OPTIONAL_STRING_SCHEMA).build();
    /** The license measure of a table's rows, as PostgreSQL computes it from what the target holds. */
    private static final String APPLIED_BYTES = "SELECT coalesce(sum(octet_length(id::text) + coalesce(octet_length(name), 0)), 0) FROM ";

    private static PostgresTestDatabase db;
    private static ConnectTestCluster connect;

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("license");

    @BeforeAll
    static void start() {
        db = PIPELINE.db();
        connect = PIPELINE.connect();
    }

    /** Inserts of ids 10000.., names "name-<id>": every row measures 5 + 10 = 15 bytes. */
    private static List<ProducerRecord<byte[], byte[]>> inserts(DebeziumEvents e, int count) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int id = 10_000; id < 10_000 + count; id++) {
            records.add(e.insert(e.row("ID", id, "NAME", "name-" + id)));
        }
        return records;
    }

    private static Map<String, String> config(String project, String topic, String key) {
        Map<String, String> config = SinkConnectorConfigs.sink(db, topic, 1);
        config.put("project.name", project);
        config.put("license.key", key);
        config.put("batch.size", "500");
        config.put("consumer.override.max.poll.records", "500");
        return config;
    }

    @Test
    void theLimitStopsTheFlowLosingNothingAndANewKeyResumesIt() {
        DebeziumEvents e = new DebeziumEvents("server1", "HR", "METERED", KEY, ROW);
        connect.createTopic(e.topic(), 1);
        connect.send(inserts(e, 5000)); // 75,000 bytes in all
        String small = TestLicenses.issue("limited", 20_000, Instant.now().plus(Duration.ofDays(30)));
        connect.startConnector("limited-sink", config("limited", e.topic(), small), 1);

        Awaitility.await("license exhausted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> "EXHAUSTED".equals(db.scalar("SELECT state FROM tidemark.license_usage WHERE project = 'limited'")));
        long used = db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = 'limited'");
        long stored = db.count("SELECT next_offset FROM tidemark.kafka_offsets WHERE connector = 'limited-sink'");
        long end = connect.endOffsets(Set.of(e.topic())).get(new TopicPartition(e.topic(), 0));
        LOG.info("At the limit: used {} of 20000 bytes, {} records applied, {} wait in Kafka", used, stored, end - stored);
        assertThat(used).isLessThanOrEqualTo(20_000).isEqualTo(db.count(APPLIED_BYTES + "hr.metered"));
        // Every record below the stored offset is applied, none above it: the rest wait in Kafka.
        assertThat(db.count("SELECT count(*) FROM hr.metered")).isEqualTo(stored);
        assertThat(db.count("SELECT max(id) FROM hr.metered")).isEqualTo(10_000 + stored - 1);
        assertThat(end - stored).isPositive();
        // The task stays RUNNING (paused partitions, not a failure).
        ConnectorStateInfo status = connect.connect().connectorStatus("limited-sink");
        assertThat(status.tasks()).singleElement().satisfies(t -> assertThat(t.state()).isEqualTo("RUNNING"));
        assertThat((String) db.scalar("SELECT reason FROM tidemark.license_usage WHERE project = 'limited'"))
                .contains("exhausted");

        // A new key through the REST API (PUT config): the tasks restart, the worker does not.
        Map<String, String> renewed = config("limited", e.topic(),
                TestLicenses.issue("limited", 1_000_000, Instant.now().plus(Duration.ofDays(30))));
        connect.connect().configureConnector("limited-sink", renewed);
        Awaitility.await("all applied").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> db.count("SELECT next_offset FROM tidemark.kafka_offsets WHERE connector = 'limited-sink'") == end);
        assertThat(db.count("SELECT count(*) FROM hr.metered")).isEqualTo(5000);
        assertThat(db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = 'limited'"))
                .isEqualTo(75_000).isEqualTo(db.count(APPLIED_BYTES + "hr.metered"));
        assertThat(db.scalar("SELECT state FROM tidemark.license_usage WHERE project = 'limited'")).isEqualTo("OK");
        connect.connect().deleteConnector("limited-sink");
    }

    @Test
    void aKeyRowInstalledBySqlResumesWithoutAnyRestart() {
        DebeziumEvents e = new DebeziumEvents("server1", "HR", "ROWKEY", KEY, ROW);
        connect.createTopic(e.topic(), 1);
        connect.send(inserts(e, 2000)); // 30,000 bytes
        String small = TestLicenses.issue("by-sql", 9_000, Instant.now().plus(Duration.ofDays(30)));
        connect.startConnector("by-sql-sink", config("by-sql", e.topic(), small), 1);
        Awaitility.await("license exhausted").atMost(Duration.ofSeconds(60))
                .until(() -> "EXHAUSTED".equals(db.scalar("SELECT state FROM tidemark.license_usage WHERE project = 'by-sql'")));
        assertThat(db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = 'by-sql'")).isLessThanOrEqualTo(9_000);

        db.execute("INSERT INTO tidemark.license_key (project, license_key) VALUES ('by-sql', '"
                + TestLicenses.issue("by-sql", 100_000, Instant.now().plus(Duration.ofDays(30))) + "')");
        Awaitility.await("all applied").atMost(Duration.ofSeconds(60))
                .until(() -> db.count("SELECT count(*) FROM hr.rowkey") == 2000);
        assertThat(db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = 'by-sql'"))
                .isEqualTo(30_000).isEqualTo(db.count(APPLIED_BYTES + "hr.rowkey"));
        connect.connect().deleteConnector("by-sql-sink");
    }

    @Test
    void crashesInTheMiddleNeverCountTwice() throws InterruptedException {
        DebeziumEvents e = new DebeziumEvents("server1", "HR", "CRASHY", KEY, ROW);
        connect.createTopic(e.topic(), 1);
        Map<String, String> config = config("crashy", e.topic(), TestLicenses.generous("crashy"));
        config.put("batch.size", "300");
        config.put("retry.backoff.ms", "50");
        connect.startConnector("crashy-sink", config, 1);
        List<ProducerRecord<byte[], byte[]>> records = inserts(e, 20_000);
        for (int i = 0; i < records.size(); i += 2000) {
            connect.send(records.subList(i, i + 2000));
            LOG.info("Crash: {} sessions ended", db.terminateOtherSessions());
            Thread.sleep(150);
        }
        Awaitility.await("all applied").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> db.count("SELECT next_offset FROM tidemark.kafka_offsets WHERE connector = 'crashy-sink'") == 20_000);
        assertThat(db.count("SELECT count(*) FROM hr.crashy")).isEqualTo(20_000);
        assertThat(db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = 'crashy'"))
                .isEqualTo(db.count(APPLIED_BYTES + "hr.crashy")).isEqualTo(300_000);
        connect.connect().deleteConnector("crashy-sink");
    }

    @Test
    void withoutAnyKeyTheConnectorRunsOnTheTrialAllowance() {
        DebeziumEvents e = new DebeziumEvents("server1", "HR", "TRIAL", KEY, ROW);
        connect.createTopic(e.topic(), 1);
        connect.send(inserts(e, 1000)); // 15,000 bytes
        Map<String, String> config = config("trial", e.topic(), null);
        config.remove("license.key");
        connect.startConnector("trial-sink", config, 1);
        Awaitility.await("all applied").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> db.count("SELECT coalesce(max(next_offset), 0) FROM tidemark.kafka_offsets "
                        + "WHERE connector = 'trial-sink'") == 1000);
        assertThat(db.scalar("SELECT state FROM tidemark.license_usage WHERE project = 'trial'")).isEqualTo("TRIAL");
        assertThat(db.count("SELECT max_bytes FROM tidemark.license_usage WHERE project = 'trial'")).isEqualTo(1_000_000_000L);
        assertThat(db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = 'trial'"))
                .isEqualTo(15_000).isEqualTo(db.count(APPLIED_BYTES + "hr.trial"));
        connect.connect().deleteConnector("trial-sink");
    }

    @Test
    void keysThatFailTheirChecksAreRefusedWhenSubmittedWhateverTheConfigSays() {
        // A key pair made with bin/tidemark license keygen, its public key in the config: both refused, saying why.
        KeyPair forger = LicenseKeys.generate();
        Map<String, String> forged = SinkConnectorConfigs.sink(db, "server1.HR.NOKEY", 1);
        forged.put("project.name", "nokey");
        forged.put("license.key", new LicenseIssuer(forger.getPrivate()).issue(new LicenseClaims("mine", "nokey",
                "oracle", "postgresql", Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(9999)), 1L << 50)));
        forged.put("license.public.key", LicenseKeys.toPem(forger.getPublic()));
        assertThat(putRejection("forged-sink", forged))
                .contains("license.key: the license key's signature does not verify with any of the vendor's public keys "
                        + "built into Tidemark (")
                .contains(PRODUCTION_VENDOR_KEY).contains(TestLicenses.VENDOR_FINGERPRINT)
                .contains("license.public.key is no longer read: license keys are verified only against the vendor's "
                        + "public keys built into the plugin");

        Map<String, String> otherProject = SinkConnectorConfigs.sink(db, "server1.HR.NOKEY", 1);
        otherProject.put("project.name", "nokey");
        otherProject.put("license.key", TestLicenses.generous("someone-else"));
        assertThat(putRejection("other-sink", otherProject)).contains("license.key:").contains("someone-else")
                .contains("nokey");

        Map<String, String> expired = SinkConnectorConfigs.sink(db, "server1.HR.NOKEY", 1);
        expired.put("project.name", "nokey");
        expired.put("license.key", TestLicenses.issue("nokey", "oracle", 1000, Instant.now().minus(Duration.ofDays(3)),
                Instant.now().minus(Duration.ofDays(1))));
        assertThat(putRejection("expired-sink", expired)).contains("license.key:").contains("expired");
    }

    @Test
    void aRefusedKeyInstalledBySqlIsNoTrialTheConnectorDoesNotStartAndSaysWhy() {
        Map<String, String> first = SinkConnectorConfigs.sink(db, "server1.HR.REFUSED", 1);
        first.put("project.name", "refused");
        first.remove("license.key");
        connect.startConnector("refused-sink", first, 1); // on the trial: it makes the control schema
        connect.connect().deleteConnector("refused-sink");
        db.execute("INSERT INTO tidemark.license_key (project, license_key) VALUES ('refused', '"
                + TestLicenses.signedByAnotherVendor("refused") + "')");
        assertThat(startFailure("refused-sink", first)).contains("cannot start: no license key is usable: license_key row ")
                .contains("the license key's signature does not verify");
    }

    @Test
    void loweringTheUsageBySqlWhileRunningIsRefusedLosingNothingAndPuttingItBackResumes() {
        DebeziumEvents e = new DebeziumEvents("server1", "HR", "TAMPER", KEY, ROW);
        connect.createTopic(e.topic(), 1);
        List<ProducerRecord<byte[], byte[]>> records = inserts(e, 3000); // 45,000 bytes
        connect.send(records.subList(0, 2000));
        connect.startConnector("tamper-sink", config("tamper", e.topic(), TestLicenses.generous("tamper")), 1);
        Awaitility.await("2000 applied").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> storedOffset("tamper-sink") == 2000);
        assertThat(db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = 'tamper'")).isEqualTo(30_000);
        // The consumer group's offsets carry the sealed usage: the copy outside this database.
        Awaitility.await("offsets metadata").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> committedMetadata("tamper-sink", e.topic()).contains("used_bytes=30000 "));
        assertThat(committedMetadata("tamper-sink", e.topic())).startsWith("tidemark-usage v1 used_bytes=30000 ")
                .contains(" seal=" + db.scalar("SELECT seal FROM tidemark.license_usage WHERE project = 'tamper'") + " ")
                .endsWith(" project=tamper");

        db.execute("UPDATE tidemark.license_usage SET used_bytes = 0 WHERE project = 'tamper'");
        connect.send(records.subList(2000, 3000));
        Awaitility.await("TAMPERED").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> "TAMPERED".equals(db.scalar("SELECT state FROM tidemark.license_usage WHERE project = 'tamper'")));
        assertThat((String) db.scalar("SELECT reason FROM tidemark.license_usage WHERE project = 'tamper'"))
                .contains("does not match its seal (used_bytes=0");
        assertThat(storedOffset("tamper-sink")).isEqualTo(2000);
        assertThat(db.count("SELECT count(*) FROM hr.tamper")).isEqualTo(2000);
        ConnectorStateInfo status = connect.connect().connectorStatus("tamper-sink");
        assertThat(status.tasks()).singleElement().satisfies(t -> assertThat(t.state()).isEqualTo("RUNNING"));

        db.execute("UPDATE tidemark.license_usage SET used_bytes = 30000 WHERE project = 'tamper'");
        Awaitility.await("all applied").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> storedOffset("tamper-sink") == 3000);
        assertThat(db.count("SELECT used_bytes FROM tidemark.license_usage WHERE project = 'tamper'"))
                .isEqualTo(45_000).isEqualTo(db.count(APPLIED_BYTES + "hr.tamper"));
        connect.connect().deleteConnector("tamper-sink");
    }

    private static long storedOffset(String connector) {
        return db.count("SELECT coalesce(max(next_offset), 0) FROM tidemark.kafka_offsets WHERE connector = ?", connector);
    }

    /** The metadata of the sink's committed consumer offset of the topic's partition 0, or "". */
    private static String committedMetadata(String connector, String topic) {
        try (Admin admin = connect.connect().kafka().createAdminClient()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
            return committed == null ? "" : committed.metadata();
        } catch (Exception ex) {
            throw new IllegalStateException("cannot read the consumer offsets of " + connector, ex);
        }
    }

    private static String putRejection(String name, Map<String, String> config) {
        try {
            connect.connect().configureConnector(name, config);
        } catch (org.apache.kafka.connect.runtime.rest.errors.ConnectRestException e) {
            assertThat(connect.connect().connectors()).doesNotContain(name);
            return e.getMessage();
        }
        throw new AssertionError("the configuration of " + name + " was accepted");
    }

    private static String startFailure(String name, Map<String, String> config) {
        connect.connect().configureConnector(name, config);
        String[] trace = new String[1];
        Awaitility.await(name + " FAILED").atMost(Duration.ofSeconds(30)).until(() -> {
            ConnectorStateInfo status = connect.statusOrNull(name);
            if (status != null && "FAILED".equals(status.connector().state())) {
                trace[0] = status.connector().trace();
                return true;
            }
            return false;
        });
        connect.connect().deleteConnector(name);
        return trace[0];
    }
}
