package io.tidemark.control.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.control.verify.Difference;
import io.tidemark.control.verify.Repair;
import io.tidemark.control.verify.TableResult;
import io.tidemark.control.verify.TopicKeys;
import io.tidemark.control.verify.Verifier;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * Verification of a running pipeline: Tidemark's PostgreSQL source (with Debezium's signal table),
 * an embedded Connect worker, the sink with two tasks, a FULL and a PARTIAL table under a workload.
 * Once the workload rests and an iteration after it is applied, both tables verify in sync with no
 * in-flight result; a difference made in the target by hand is found with its key and column,
 * repaired through the pipeline by Debezium's incremental snapshot, and then verifies in sync. Then
 * {@code --changed-since} (see {@code changedSince}).
 */
class VerifyPipelineIT {

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("verify");

    @Test
    void fullAndPartialTablesVerifyInSyncThenADifferenceIsFoundRepairedAndInSyncAgain() throws Exception {
        PostgresTestDatabase target = PIPELINE.db();
        PostgresTestDatabase source = PIPELINE.database("verify_src");
        ConnectTestCluster connect = PIPELINE.connect();
        source.execute("CREATE TABLE public.acct (id int PRIMARY KEY, balance numeric(12,2), owner varchar(40),"
                        + " opened timestamp(6), notes text)",
                "CREATE TABLE public.note (id int PRIMARY KEY, body text, seen boolean)",
                "CREATE TABLE public.debezium_signal (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data text)",
                "INSERT INTO public.acct SELECT g, g * 10.25, 'owner ' || g, timestamp '2024-01-01' + g * interval '1.5 s',"
                        + " repeat('n', g) FROM generate_series(1, 400) g",
                "INSERT INTO public.note SELECT g, 'note ' || g, false FROM generate_series(1, 300) g");
        connect.startConnector("vp-source", source(source, connect), 1);
        connect.startConnector("vp-sink", sink(target), 2);

        AtomicBoolean stop = new AtomicBoolean();
        Thread workload = new Thread(() -> {
            Random random = new Random(7);
            while (!stop.get()) {
                int id = 1 + random.nextInt(300);
                source.execute("UPDATE public.acct SET balance = balance + 1 WHERE id = " + id,
                        "UPDATE public.note SET seen = NOT seen WHERE id = " + id);
            }
        });
        workload.start();
        Thread.sleep(8_000);
        stop.set(true);
        workload.join();
        Instant rested = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                target.count("SELECT count(*) FROM tm_vp.iteration WHERE project = 'vp' AND status = 'APPLIED'"
                        + " AND marker_created_at > ?", java.sql.Timestamp.from(rested)) > 0);

        Verifier verifier = new Verifier(settings(target), settings(source), "tm_vp", "vp");
        Verifier.Result inSync = run(verifier, "in sync while the pipeline runs");
        assertThat(inSync.status()).isEqualTo("IN_SYNC");
        assertThat(inSync.tables()).extracting(TableResult::table).containsExactly("public.acct", "public.note");
        assertThat(inSync.tables()).allSatisfy(t -> assertThat(t.inFlight()).isZero());
        assertThat(inSync.tables().get(0).mode()).isEqualTo("FULL");
        assertThat(inSync.tables().get(0).iteration()).isEqualTo(inSync.iteration());

        target.execute("UPDATE vp_t.acct SET balance = balance + 0.01 WHERE id = 5", "DELETE FROM vp_t.acct WHERE id = 6");
        Verifier.Result different = run(verifier, "a difference made by hand");
        assertThat(different.status()).isEqualTo("DIFFERENT");
        TableResult acct = different.tables().get(0);
        assertThat(acct.differences()).extracting(d -> d.key().get(0) + " " + d.kind() + " " + d.columns() + " "
                + d.verdict()).containsExactlyInAnyOrder("5 DIFFERENT [balance] OUT_OF_SYNC", "6 MISSING [] OUT_OF_SYNC");

        Path dir = Files.createTempDirectory("tidemark-verify-it");
        Map<String, String> sourceConfig = Map.of("signal.data.collection", "public.debezium_signal");
        String repaired = new Repair("vp", sourceConfig, settings(source), dir).repair(different, System.out::println);
        System.out.println("repair: " + repaired);
        assertThat(repaired).contains("2 keys re-read");

        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                target.count("SELECT count(*) FROM vp_t.acct WHERE id = 6") == 1);
        Verifier.Result[] repairedRun = new Verifier.Result[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() ->
                "IN_SYNC".equals((repairedRun[0] = run(verifier, "after the repair")).status()));

        changedSince(target, source, connect, repairedRun[0].iteration());
        connect.connect().deleteConnector("vp-sink");
        connect.connect().deleteConnector("vp-source");
    }

    /**
     * After an in-sync full verification at iteration N, a workload changes 52 keys of public.acct and 10 of
     * public.note; a difference made by hand in a changed row is found by {@code --changed-since N}, which compares
     * only the changed keys, and one in a row not changed since N is, as documented, not looked at (a full
     * verification finds it). Once both are mended, the changed-since run is in sync and extends the mark.
     */
    private static void changedSince(PostgresTestDatabase target, PostgresTestDatabase source, ConnectTestCluster connect,
                                     long n) throws Exception {
        source.execute("UPDATE public.acct SET owner = owner || '+' WHERE id BETWEEN 100 AND 149",
                "DELETE FROM public.acct WHERE id = 150",
                "INSERT INTO public.acct VALUES (401, 1.00, 'owner 401', timestamp '2024-02-01', 'new')",
                "UPDATE public.note SET body = body || '+' WHERE id BETWEEN 1 AND 10");
        Instant written = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                target.count("SELECT count(*) FROM tm_vp.iteration WHERE project = 'vp' AND status = 'APPLIED'"
                        + " AND marker_created_at > ?", java.sql.Timestamp.from(written)) > 0
                        && target.count("SELECT count(*) FROM vp_t.note WHERE body LIKE '%+'") == 10);
        target.execute("UPDATE vp_t.acct SET owner = 'by hand' WHERE id = 120", "UPDATE vp_t.acct SET owner = 'by hand'"
                + " WHERE id = 300");
        try (TopicKeys keys = new TopicKeys(Map.of("bootstrap.servers", connect.bootstrapServers()), sink(target))) {
            Verifier since = new Verifier(settings(target), settings(source), "tm_vp", "vp", keys);
            Verifier.Result r = run(since, "changed since iteration " + n + ": a changed row and an unchanged one differ",
                    n);
            assertThat(r.status()).isEqualTo("DIFFERENT");
            TableResult acct = r.tables().get(0);
            assertThat(acct.changedSince()).isEqualTo(n);
            assertThat(acct.keysCompared()).as("the changed keys, not the table's 450 rows").isEqualTo(52);
            assertThat(acct.differences()).extracting(d -> d.key().get(0) + " " + d.kind() + " " + d.columns())
                    .containsExactly("120 DIFFERENT [owner]");
            TableResult note = r.tables().get(1);
            assertThat(note.keysCompared()).isEqualTo(10);
            assertThat(note.status()).isEqualTo("IN_SYNC");

            Verifier.Result whole = run(new Verifier(settings(target), settings(source), "tm_vp", "vp"),
                    "the whole table: the row not changed since N differs too");
            assertThat(whole.tables().get(0).differences()).extracting(d -> d.key().get(0))
                    .containsExactlyInAnyOrder("120", "300");

            target.execute("UPDATE vp_t.acct SET owner = 'owner 120+' WHERE id = 120",
                    "UPDATE vp_t.acct SET owner = 'owner 300' WHERE id = 300");
            Verifier.Result mended = run(since, "changed since iteration " + n + " after mending both rows", n);
            assertThat(mended.status()).isEqualTo("IN_SYNC");
            assertThat(target.count("SELECT iteration FROM tm_vp.verify_mark WHERE project = 'vp'"
                    + " AND source_table = 'public.acct'")).isEqualTo(mended.iteration()).isGreaterThan(n);
        }
    }

    private static Verifier.Result run(Verifier verifier, String what) throws Exception {
        return run(verifier, what, null);
    }

    private static Verifier.Result run(Verifier verifier, String what, Long changedSince) throws Exception {
        System.out.println("== verify: " + what);
        Verifier.Options d = Verifier.Options.defaults();
        Verifier.Result r = verifier.run(new Verifier.Options(List.of(), null, false, d.rangeRows(), d.rowThreshold(),
                d.cap(), 2, Duration.ofSeconds(30)).withChangedSince(changedSince), System.out::println,
                new AtomicBoolean());
        System.out.println(r.status() + ": " + r.message());
        for (TableResult t : r.tables()) {
            for (Difference x : t.differences()) {
                System.out.println("  " + t.table() + " key " + x.key() + " " + x.kind() + " " + x.columns() + " source "
                        + x.sourceValues() + " target " + x.targetValues() + " " + x.verdict());
            }
        }
        return r;
    }

    private static DatabaseSettings settings(PostgresTestDatabase db) {
        return new DatabaseSettings(db.jdbcUrl(), db.user(), db.password());
    }

    private static Map<String, String> source(PostgresTestDatabase db, ConnectTestCluster cluster) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.tidemark.source.TidemarkPostgresConnector");
        c.put("tasks.max", "1");
        c.put("database.hostname", db.host());
        c.put("database.port", Integer.toString(db.port()));
        c.put("database.user", db.user());
        c.put("database.password", db.password());
        c.put("database.dbname", db.name());
        c.put("topic.prefix", "vp");
        c.put("plugin.name", "pgoutput");
        c.put("slot.name", db.name() + "_vp");
        c.put("slot.drop.on.stop", "false");
        c.put("publication.name", db.name() + "_vp_pub");
        c.put("publication.autocreate.mode", "filtered");
        c.put("table.include.list", "public.acct,public.note,public.debezium_signal");
        c.put("signal.data.collection", "public.debezium_signal");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("decimal.handling.mode", "precise");
        c.put("topic.creation.default.replication.factor", "1");
        c.put("topic.creation.default.partitions", "2");
        c.put("iteration.schema", "tidemark_vp");
        c.put("iteration.interval.ms", "1500");
        c.put("iteration.request.poll.interval.ms", "200");
        c.put("iteration.admin.bootstrap.servers", cluster.bootstrapServers());
        return c;
    }

    private static Map<String, String> sink(PostgresTestDatabase db) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.tidemark.sink.PostgresSinkConnector");
        c.put("tasks.max", "2");
        c.put("topics", "vp.public.acct,vp.public.note");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("connection.url", db.jdbcUrl());
        c.put("connection.user", db.user());
        c.put("connection.password", db.password());
        c.put("project.name", "vp");
        c.put("control.schema", "tm_vp");
        c.put("target.schema", "vp_t");
        c.put("consistency.mode", "partial");
        c.put("consistency.mode.overrides", "public.acct:full");
        c.put("lifecycle.poll.interval.ms", "200");
        c.put("batch.max.wait.ms", "100");
        c.put("license.key", TestLicenses.generous("vp"));
        return new HashMap<>(c);
    }
}
