package io.tidemark.control.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.ControlServer;
import io.tidemark.control.api.Json;
import io.tidemark.control.api.OpenApiContract;
import io.tidemark.control.auth.BearerTokens;
import io.tidemark.control.metrics.PrometheusMetrics;
import io.tidemark.control.status.ProjectStatus;
import io.tidemark.control.status.StatusReader;
import io.tidemark.sink.iteration.InitialLoad;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The initial load's progress in the status, with the real sink on a Connect worker writing into a
 * real PostgreSQL and the source's statistics in a real PostgreSQL: the test writes the snapshot's
 * change events itself and holds marker 0 back, so the tables stay in iteration 0 for as long as it
 * looks. No assertion on speed: only that what is shown follows from the ledger and the estimates.
 * With {@code -Dtidemark.load.rows=N} it also loads N rows into one more table and captures
 * {@code bin/tidemark status} during it (docs/performance.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadProgressIT {

    private static final String TOKEN = "it-token-0123456789abcdef0123";
    private static final Path CAPTURED = Path.of(System.getProperty("basedir", ".")).resolve("target/load-progress-it");
    private static final Schema KEY = SchemaBuilder.struct().name("shop.public.Key").field("id", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("shop.public.Value").field("id", Schema.INT32_SCHEMA)
            .field("v", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final String BIG_ROWS = System.getProperty("tidemark.load.rows");
    private static final List<String> TABLES = BIG_ROWS == null ? List.of("orders", "stale", "fresh")
            : List.of("orders", "stale", "fresh", "big");

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("load-progress");

    private static PostgresTestDatabase target;
    private static ConnectTestCluster connect;
    private static ProjectServices shop;
    private static ControlServer api;
    private static final Map<String, DebeziumEvents> EVENTS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        target = PIPELINE.db();
        connect = PIPELINE.connect();
        PostgresTestDatabase source = PIPELINE.database("load_src");
        // Autovacuum off: the statistics are what the test made them, analyzed or never.
        for (String t : TABLES) {
            source.execute("CREATE TABLE public." + t + " (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = false)");
        }
        source.execute("INSERT INTO public.orders SELECT g, 'o' || g FROM generate_series(1, 1000) g",
                "INSERT INTO public.stale SELECT g, 's' || g FROM generate_series(1, 100) g",
                "INSERT INTO public.fresh SELECT g, 'f' || g FROM generate_series(1, 500) g",
                "ANALYZE public.orders", "ANALYZE public.stale");
        if (BIG_ROWS != null) {
            source.execute("INSERT INTO public.big SELECT g, repeat('b', 40) || g FROM generate_series(1, " + BIG_ROWS
                    + ") g", "ANALYZE public.big");
        }
        Map<String, ProjectServices> services = ShopProject.services(connect, source, target, target.jdbcUrl());
        shop = services.get("shop");
        api = new ControlServer(new InetSocketAddress("127.0.0.1", 0), services, BearerTokens.of(List.of("ops admin "
                + TOKEN)));
        api.start();
        for (String t : TABLES) {
            DebeziumEvents e = new DebeziumEvents("shop", "public", t, KEY, ROW);
            EVENTS.put(t, e);
            connect.createTopic(e.topic(), 1);
        }
        // The project's own sink file (src/test/resources/projects/shop), on this test's topics.
        Map<String, String> sink = new LinkedHashMap<>(shop.project().connector("sink").config());
        sink.put("topics", String.join(",", EVENTS.values().stream().map(DebeziumEvents::topic).toList()));
        connect.startConnector("shop-sink", sink, 1);
        Files.createDirectories(CAPTURED);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (shop != null) {
            shop.close();
        }
    }

    private static void snapshotRows(String table, int from, int to) {
        DebeziumEvents e = EVENTS.get(table);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int id = from; id <= to; id++) {
            records.add(e.read(e.row("id", id, "v", table.charAt(0) + Integer.toString(id))));
            if (records.size() == 20_000 || id == to) {
                connect.send(records);
                records.clear();
            }
        }
    }

    private static ProjectStatus.Table table(ProjectStatus s, String name) {
        return s.tables().stream().filter(t -> t.sourceTable().equals("public." + name)).findFirst().orElseThrow();
    }

    /** Until the table's initial load shows {@code rows} applied (none before the sink registered the table). */
    private static void awaitApplied(String table, long rows) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            ProjectStatus s = StatusReader.read(shop);
            assertThat(s.tables().stream().filter(t -> t.sourceTable().equals("public." + table)).findFirst()
                    .map(t -> t.load() == null ? -1 : t.load().rowsApplied())).as("problems: " + s.problems())
                    .contains(rows);
        });
    }

    @Test
    @Order(1)
    void aLoadingTableShowsItsProgressAgainstTheSourcesEstimateWithAPaceAndAnEta() throws Exception {
        snapshotRows("orders", 1, 300);
        awaitApplied("orders", 300);
        Thread.sleep(1100); // a later flush: the pace needs two readings apart in time
        snapshotRows("orders", 301, 600);
        snapshotRows("stale", 1, 250);
        snapshotRows("fresh", 1, 50);
        awaitApplied("orders", 600);
        awaitApplied("stale", 250);
        awaitApplied("fresh", 50);

        ProjectStatus s = StatusReader.read(shop);
        InitialLoad.Figures orders = table(s, "orders").load();
        assertThat(orders.rowsExpected()).as("pg_class.reltuples after ANALYZE").isEqualTo(1000L);
        assertThat(orders.progress()).isEqualTo(0.6);
        assertThat(orders.pastEstimate()).isFalse();
        assertThat(orders.rowsPerSecond()).as("two readings of the applied rows, a second apart at least").isPositive();
        assertThat(orders.etaSeconds()).isEqualTo((long) Math.ceil(400 / orders.rowsPerSecond()));
        assertThat(orders.describe()).startsWith("600 of ~1,000 rows (60 %, estimate)").contains(" rows/s  ETA ");

        InitialLoad.Figures stale = table(s, "stale").load();
        assertThat(stale.rowsExpected()).as("a stale estimate").isEqualTo(100L);
        assertThat(stale.progress()).as("never past 100 %").isEqualTo(1.0);
        assertThat(stale.pastEstimate()).isTrue();
        assertThat(stale.etaSeconds()).as("no rows left that the estimate knows of").isNull();
        assertThat(stale.describe()).startsWith("250 of ~100 rows (≥ estimate, 100 %)");

        InitialLoad.Figures fresh = table(s, "fresh").load();
        assertThat(fresh.rowsExpected()).as("never analyzed: reltuples -1, no estimate made up").isNull();
        assertThat(fresh.progress()).isNull();
        assertThat(fresh.etaSeconds()).isNull();
        assertThat(fresh.describe()).startsWith("50 rows of unknown (no estimate)");

        assertThat(s.load().rowsApplied()).isEqualTo(900);
        assertThat(s.load().rowsExpected()).as("one table's estimate unknown: the sum's too").isNull();
        assertThat(s.problems()).isEmpty();
        assertThat(OpenApiContract.load().violations("GET", "/projects/{project}", 200, "application/json",
                Json.MAPPER.valueToTree(s))).isEmpty();

        String metrics = PrometheusMetrics.renderStatuses(List.of(s));
        assertThat(metrics).containsPattern("tidemark_table_load_rows_applied\\{project=\"shop\",table=\"public.orders\"} 600(\\.0)?\n")
                .containsPattern("tidemark_table_load_rows_expected\\{project=\"shop\",table=\"public.orders\"} 1000(\\.0)?\n")
                .containsPattern("tidemark_table_load_progress_ratio\\{project=\"shop\",table=\"public.stale\"} 1(\\.0)?\n")
                .containsPattern("tidemark_table_load_eta_seconds\\{project=\"shop\",table=\"public.orders\"} \\d")
                .doesNotContain("tidemark_table_load_rows_expected{project=\"shop\",table=\"public.fresh\"}");

        Launcher.Cli cli = Launcher.run(api.port(), TOKEN, Duration.ofSeconds(60), "status", "shop");
        Files.writeString(CAPTURED.resolve("status-loading.txt"), cli.out());
        assertThat(cli.out()).as(cli.err()).containsPattern("public\\.orders +loading +600 of ~1,000 rows \\(60 %, estimate\\)")
                .containsPattern("public\\.stale +loading +250 of ~100 rows \\(≥ estimate, 100 %\\)")
                .containsPattern("public\\.fresh +loading +50 rows of unknown \\(no estimate\\)")
                .containsPattern("all \\d tables +loading +9\\d\\d rows of unknown");
    }

    @Test
    @Order(2)
    @EnabledIfSystemProperty(named = "tidemark.load.rows", matches = "\\d+")
    void aLargeLoadCapturedWithItsEtas() throws Exception {
        int rows = Integer.parseInt(BIG_ROWS);
        connect.connect().pauseConnector("shop-sink");
        Thread.sleep(3000);
        snapshotRows("big", 1, rows); // all in Kafka first: the pace is the sink's, not the producer's
        long resumed = System.nanoTime();
        connect.connect().resumeConnector("shop-sink");
        StringBuilder capture = new StringBuilder();
        List<long[]> etas = new ArrayList<>(); // seconds since resume, ETA seconds
        long lastCli = 0;
        while (true) {
            ProjectStatus.Table big = table(StatusReader.read(shop), "big");
            long at = (System.nanoTime() - resumed) / 1_000_000;
            if (big.load() != null && big.load().rowsApplied() >= rows) {
                capture.append(String.format("%n%d rows applied %.1f s after the resume%n", rows, at / 1000.0));
                for (long[] e : etas) {
                    capture.append(String.format("at %.1f s: ETA %d s, predicted end %.1f s, real end %.1f s (off by %+.1f s)%n",
                            e[0] / 1000.0, e[1], e[0] / 1000.0 + e[1], at / 1000.0, e[0] / 1000.0 + e[1] - at / 1000.0));
                }
                break;
            }
            if (big.load() != null && big.load().etaSeconds() != null && at - lastCli > 4000) {
                lastCli = at;
                Launcher.Cli cli = Launcher.run(api.port(), TOKEN, Duration.ofSeconds(60), "status", "shop");
                etas.add(new long[] {at, big.load().etaSeconds()});
                capture.append("--- ").append(String.format("%.1f", at / 1000.0)).append(" s after the resume\n")
                        .append(cli.out());
            }
            assertThat(at).as("the load ends within 10 minutes").isLessThan(600_000);
            Thread.sleep(250);
        }
        Files.writeString(CAPTURED.resolve("status-during-load.txt"), capture);
        assertThat(etas).as("a capture with an ETA").isNotEmpty();
    }

    @Test
    @Order(3)
    void aTablePastIterationZeroShowsNoLoad() throws Exception {
        for (DebeziumEvents e : EVENTS.values()) {
            IterationMarker marker = new IterationMarker(0, "0/1", System.currentTimeMillis(), false, 1);
            connect.send(List.of(new ProducerRecord<>(e.topic(), 0, null,
                    e.serializeValue(IterationMarker.VALUE_SCHEMA, marker.toStruct()))));
        }
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> StatusReader.read(shop).tables().stream().allMatch(t -> Long.valueOf(0).equals(t.iteration())));
        ProjectStatus s = StatusReader.read(shop);
        assertThat(s.tables()).allSatisfy(t -> assertThat(t.load()).as(t.sourceTable()).isNull());
        assertThat(s.load()).isNull();
        assertThat(PrometheusMetrics.renderStatuses(List.of(s))).doesNotContain("tidemark_table_load_");
        Launcher.Cli cli = Launcher.run(api.port(), TOKEN, Duration.ofSeconds(60), "status", "shop");
        assertThat(cli.out()).as(cli.err()).contains("public.orders").doesNotContain("loading");
    }
}
