package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The whole pipeline: the real {@code TidemarkPostgresConnector} on a source database cuts
 * iterations, Kafka carries them, the sink applies them into a separate target database. What the
 * consistency modes promise is checked from the outside, by a reader of the target.
 */
class ConsistencyPipelineIT {

    private static final Logger LOG = LoggerFactory.getLogger(ConsistencyPipelineIT.class);
    private static final AccountTransfers BANK = new AccountTransfers(40, 1_000);

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("consistency");

    private static PostgresTestDatabase target;
    private static PostgresTestDatabase source;
    private static ConnectTestCluster connect;

    @BeforeAll
    static void start() {
        target = PIPELINE.db();
        connect = PIPELINE.connect();
        source = PIPELINE.database("consistency_src");
    }

    /** A sink of the two account tables into its own target schema and control schema. */
    private static Map<String, String> sink(String prefix, String mode, int tasks) {
        Map<String, String> config = SinkConnectorConfigs.sink(target, prefix + ".public.x," + prefix + ".public.y", tasks,
                prefix + "-" + mode);
        config.put("target.schema", mode + "_t");
        config.put("control.schema", "tm_" + mode);
        config.put("consistency.mode", mode);
        config.put("lifecycle.poll.interval.ms", "100");
        config.put("batch.max.wait.ms", "100");
        config.put("consumer.override.partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        return config;
    }

    @Test
    void fullTablesAreOnlyEverSeenAsTheSourceWasAtAMarkerAndPartialOnesTear() throws Exception {
        BANK.createIn(source);
        Map<String, String> bankSource = SourceConnectorConfigs.postgres(source, connect, "bank", List.of("x", "y"), 1_500);
        bankSource.put("topic.creation.default.partitions", "3"); // a marker reaches every partition of a topic
        connect.startConnector("bank-source", bankSource, 1);
        connect.startConnector("bank-full", sink("bank", "full", 2), 2);
        connect.startConnector("bank-partial", sink("bank", "partial", 2), 2);

        try {
            watchBank();
        } finally {
            for (String name : List.of("bank-full", "bank-partial", "bank-source")) {
                connect.connect().deleteConnector(name);
            }
        }
    }

    private void watchBank() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<AccountTransfers.Totals> full = CompletableFuture.supplyAsync(
                () -> BANK.watchTotals(target, "full_t", "tm_full", stop));
        CompletableFuture<AccountTransfers.Totals> partial = CompletableFuture.supplyAsync(
                () -> BANK.watchTotals(target, "partial_t", "tm_partial", stop));
        CompletableFuture<Integer> transfers = CompletableFuture.supplyAsync(() -> BANK.transfer(source, 3, stop));
        try {
            Awaitility.await("8 FULL iterations applied while money moves").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> target.count(
                            "SELECT count(*) FROM tm_full.iteration WHERE status = 'APPLIED' AND iteration >= 1") >= 8);
        } finally {
            stop.set(true);
        }
        int moved = transfers.get(30, TimeUnit.SECONDS);
        AccountTransfers.Totals fullSeen = full.get(30, TimeUnit.SECONDS);
        AccountTransfers.Totals partialSeen = partial.get(30, TimeUnit.SECONDS);
        LOG.info("{} transfers over 3 partitions per topic; FULL: {}; PARTIAL: {} (e.g. {})", moved, fullSeen, partialSeen,
                partialSeen.wrong().stream().limit(3).toList());
        assertThat(fullSeen.checked()).as("the FULL target was read throughout").isGreaterThan(200);
        assertThat(fullSeen.uninterpretable()).as("FULL reads that could not be checked").isEmpty();
        assertThat(fullSeen.wrong()).as("totals a reader of the FULL tables saw").isEmpty();
        assertThat(partialSeen.uninterpretable()).as("PARTIAL reads that could not be checked").isEmpty();
        assertThat(partialSeen.wrong()).as("PARTIAL tables move on their own: a reader sees them torn").isNotEmpty();

        // The ledger of one applied FULL iteration: its counts, when it was seen and applied.
        List<String> ledger = target.rowsAsText("SELECT iteration, source_position IS NOT NULL, upserted, deleted,"
                + " bytes > 0, tables_completed, tables_total, apply_ms >= 0, status FROM tm_full.iteration"
                + " WHERE iteration >= 1 ORDER BY iteration LIMIT 3");
        LOG.info("FULL ledger: {}", ledger);
        LOG.info("FULL ledger excerpt (iteration|source_position|upserted|deleted|bytes|tables_completed|tables_total"
                + "|apply_ms|status):\n{}", String.join("\n", target.rowsAsText("SELECT iteration, source_position,"
                + " upserted, deleted, bytes, tables_completed, tables_total, apply_ms, status FROM tm_full.iteration"
                + " ORDER BY iteration LIMIT 6")));
        assertThat(ledger).allSatisfy(row -> assertThat(row).matches("\\d+\\|t\\|\\d+\\|\\d+\\|t\\|2\\|2\\|t\\|APPLIED"));

        // After the last marker, both targets equal the source.
        requestMarker(source, "bank");
        Awaitility.await("both targets equal to the source").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(AccountTransfers.balances(target, "full_t")).isEqualTo(AccountTransfers.balances(source, "public"));
                    assertThat(AccountTransfers.balances(target, "partial_t"))
                            .isEqualTo(AccountTransfers.balances(source, "public"));
                });
        // Each table's row says how far it is, in either mode. A partition's status is written by the task
        // that holds it, at its next lifecycle poll after another task applied the iteration it waited for.
        for (String mode : List.of("full", "partial")) {
            Awaitility.await(mode + " statuses").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(target.rowsAsText("SELECT source_table, mode, iteration >= 1, status"
                            + " FROM tm_" + mode + ".table_state ORDER BY 1")).as(mode).containsExactly(
                            "public.x|" + mode.toUpperCase(Locale.ROOT) + "|t|RUNNING",
                            "public.y|" + mode.toUpperCase(Locale.ROOT) + "|t|RUNNING"));
        }
    }

    static void requestMarker(PostgresTestDatabase db, String prefix) {
        db.execute("INSERT INTO tidemark_" + prefix + ".tidemark_iteration_request (stream_name, action) VALUES ('"
                + prefix + "', 'CLOSE')");
    }

    @Test
    void compositeKeysKeyChangesDeletesAndNullsEndEqualToTheSource() throws Exception {
        source.execute("CREATE TABLE public.lines (order_id int, line int, qty int, note text, PRIMARY KEY (order_id, line))",
                "INSERT INTO public.lines SELECT g / 10, g % 10, g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'n' || g END"
                        + " FROM generate_series(0, 299) g");
        connect.startConnector("lines-source", SourceConnectorConfigs.postgres(source, connect, "shop",
                List.of("lines"), 1_000), 1);
        Map<String, String> sink = SinkConnectorConfigs.sink(target, "shop.public.lines", 1, "shop");
        sink.put("target.schema", "lines_t");
        sink.put("control.schema", "tm_lines");
        sink.put("consistency.mode", "full");
        sink.put("lifecycle.poll.interval.ms", "100");
        connect.startConnector("lines-sink", sink, 1);

        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Integer>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int seed = w;
            writers.add(CompletableFuture.supplyAsync(() -> changeLines(seed, stop)));
        }
        Awaitility.await("3 iterations while lines change").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> target.count(
                        "SELECT count(*) FROM tm_lines.iteration WHERE status = 'APPLIED' AND iteration >= 1") >= 3);
        stop.set(true);
        int changes = 0;
        for (CompletableFuture<Integer> w : writers) {
            changes += w.get(30, TimeUnit.SECONDS);
        }
        requestMarker(source, "shop");
        Awaitility.await("the target equals the source").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(target.rowsAsText("SELECT order_id, line, qty, note FROM lines_t.lines"
                        + " ORDER BY 1, 2")).isEqualTo(source.rowsAsText("SELECT order_id, line, qty, note FROM"
                        + " public.lines ORDER BY 1, 2")));
        LOG.info("{} source changes (key changes, deletes, NULLs among them), target equal to the source", changes);
        assertThat(changes).isGreaterThan(200);
        connect.connect().deleteConnector("lines-sink");
        connect.connect().deleteConnector("lines-source");
    }

    /** Random inserts, updates (to and from NULL), primary-key changes and deletes, each its own transaction. */
    private static int changeLines(int seed, AtomicBoolean stop) {
        Random random = new Random(seed);
        int changes = 0;
        try (Connection c = source.connect()) {
            while (!stop.get()) {
                int order = seed * 100 + random.nextInt(40);
                int line = random.nextInt(10);
                String sql = switch (random.nextInt(5)) {
                    case 0 -> "INSERT INTO public.lines VALUES (" + order + ", " + line + ", 1, NULL) ON CONFLICT DO NOTHING";
                    case 1 -> "UPDATE public.lines SET qty = qty + 1, note = CASE WHEN note IS NULL THEN 'set' ELSE NULL END"
                            + " WHERE order_id = " + order + " AND line = " + line;
                    case 2 -> "UPDATE public.lines SET line = line + 100 WHERE order_id = " + order + " AND line = " + line
                            + " AND NOT EXISTS (SELECT 1 FROM public.lines WHERE order_id = " + order + " AND line = "
                            + (line + 100) + ")";
                    case 3 -> "DELETE FROM public.lines WHERE order_id = " + order + " AND line = " + line;
                    default -> "UPDATE public.lines SET note = repeat('x', " + random.nextInt(300) + ") WHERE order_id = "
                            + order;
                };
                try (var st = c.createStatement()) {
                    changes += st.executeUpdate(sql);
                }
                Thread.sleep(3);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return changes;
    }

    @Test
    void aStoppedFullTableLeavesTheIterationsAndRejoinsWithTheRightData() throws Exception {
        source.execute("CREATE TABLE public.s1 (id int PRIMARY KEY, v bigint NOT NULL)",
                "CREATE TABLE public.s2 (id int PRIMARY KEY, v bigint NOT NULL)",
                "INSERT INTO public.s1 SELECT g, 0 FROM generate_series(1, 20) g",
                "INSERT INTO public.s2 SELECT g, 0 FROM generate_series(1, 20) g");
        connect.startConnector("pause-source", SourceConnectorConfigs.postgres(source, connect, "ps",
                List.of("s1", "s2"), 1_000), 1);
        Map<String, String> sink = SinkConnectorConfigs.sink(target, "ps.public.s1,ps.public.s2", 1, "ps");
        sink.put("target.schema", "ps_t");
        sink.put("control.schema", "tm_ps");
        sink.put("consistency.mode", "full");
        sink.put("lifecycle.poll.interval.ms", "100");
        connect.startConnector("pause-sink", sink, 1);
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> bump(stop));
        try {
            awaitIterations("tm_ps", 2);
            // A mode change while it runs is refused; the table is stopped; s1 goes on alone.
            target.execute("UPDATE tm_ps.table_state SET desired_mode = 'PARTIAL' WHERE source_table = 'public.s2'");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> target.scalar(
                    "SELECT refusal FROM tm_ps.table_state WHERE source_table = 'public.s2'") != null);
            target.execute("UPDATE tm_ps.table_state SET desired_state = 'STOPPED' WHERE source_table = 'public.s2'");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "STOPPED".equals(target.scalar(
                    "SELECT status FROM tm_ps.table_state WHERE source_table = 'public.s2'")));
            long s2Frozen = target.count("SELECT sum(v) FROM ps_t.s2");
            long appliedWhenStopped = applied("tm_ps");
            awaitIterations("tm_ps", appliedWhenStopped + 3);
            assertThat(target.count("SELECT sum(v) FROM ps_t.s2")).as("a stopped table does not change").isEqualTo(s2Frozen);
            assertThat(target.rowsAsText("SELECT tables_completed FROM tm_ps.iteration WHERE iteration = "
                    + (appliedWhenStopped + 2))).as("s1 went on alone").containsExactly("1");
            // Stopped, the mode may change; started again, s2 catches up and rejoins.
            target.execute("UPDATE tm_ps.table_state SET desired_mode = 'FULL', refusal = NULL WHERE source_table = 'public.s2'");
            target.execute("UPDATE tm_ps.table_state SET desired_state = 'RUNNING' WHERE source_table = 'public.s2'");
            Awaitility.await("s2 rejoins").atMost(Duration.ofMinutes(1)).until(() -> target.count(
                    "SELECT count(*) FROM tm_ps.iteration WHERE status = 'APPLIED' AND tables_completed = 2"
                    + " AND iteration > " + (appliedWhenStopped + 3)) >= 1);
        } finally {
            stop.set(true);
        }
        writer.get(30, TimeUnit.SECONDS);
        requestMarker(source, "ps");
        Awaitility.await("both tables equal to the source").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(target.rowsAsText("SELECT id, v FROM ps_t.s1 ORDER BY id"))
                            .isEqualTo(source.rowsAsText("SELECT id, v FROM public.s1 ORDER BY id"));
                    assertThat(target.rowsAsText("SELECT id, v FROM ps_t.s2 ORDER BY id"))
                            .isEqualTo(source.rowsAsText("SELECT id, v FROM public.s2 ORDER BY id"));
                });
        assertThat(target.rowsAsText("SELECT outcome, count(*) FROM tm_ps.action_log WHERE source_table = 'public.s2'"
                + " GROUP BY 1 ORDER BY 1")).contains("refused|1");
        connect.connect().deleteConnector("pause-sink");
        connect.connect().deleteConnector("pause-source");
    }

    private static long applied(String control) {
        return target.count("SELECT count(*) FROM " + control + ".iteration WHERE status = 'APPLIED' AND iteration >= 1");
    }

    private static void awaitIterations(String control, long iterations) {
        Awaitility.await(iterations + " iterations applied").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(() -> applied(control) >= iterations);
    }

    /** Both tables change all the time, one transaction each. */
    private static void bump(AtomicBoolean stop) {
        Random random = new Random(5);
        try (Connection c = source.connect(); var st = c.createStatement()) {
            while (!stop.get()) {
                st.executeUpdate("UPDATE public.s" + (1 + random.nextInt(2)) + " SET v = v + 1 WHERE id = "
                        + (1 + random.nextInt(20)));
                Thread.sleep(5);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
