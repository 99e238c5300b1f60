package io.tidemark.control.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.auth.BearerTokens;
import io.tidemark.control.it.Launcher.Cli;
import io.tidemark.control.api.ControlServer;
import io.tidemark.control.api.Json;
import io.tidemark.control.api.OpenApiContract;
import io.tidemark.control.metrics.Promtool;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TcpProxy;

/**
 * The control API driving a real pipeline: an embedded Connect worker with both plugins loaded from
 * plugin.path, a PostgreSQL source and a PostgreSQL target, the project described by the files in
 * src/test/resources/projects/shop. Every action is checked with Connect's own status endpoint and
 * in the target; the CLI runs as bin/tidemark against the running API. The steps build on each
 * other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlApiIT {

    private static final Logger LOG = LoggerFactory.getLogger(ControlApiIT.class);
    private static final String TOKEN = "it-token-0123456789abcdef0123";
    private static final String READER = "it-reader-0123456789abcdef0123";
    private static final Path CAPTURED = Path.of(System.getProperty("basedir", ".")).resolve("target/control-api-it");

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("control-api");

    private static PostgresTestDatabase target;
    private static PostgresTestDatabase source;
    private static ConnectTestCluster connect;
    private static ControlServer api;
    /** Between the control API and the target database (the sink reaches it directly): the target "down" for the API. */
    private static TcpProxy targetForApi;
    private static OpenApiContract contract;
    private static final List<String> violations = new ArrayList<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        target = PIPELINE.db();
        connect = PIPELINE.connect();
        source = PIPELINE.database("control_api_src");
        source.execute("CREATE TABLE public.x (id int PRIMARY KEY, v text)", "CREATE TABLE public.y (id int PRIMARY KEY, n bigint)",
                "INSERT INTO public.x SELECT g, 'x' || g FROM generate_series(1, 50) g",
                "INSERT INTO public.y SELECT g, g FROM generate_series(1, 30) g");
        targetForApi = TcpProxy.to(target.host(), target.port());
        Map<String, ProjectServices> services = ShopProject.services(connect, source, target,
                target.jdbcUrlVia(targetForApi.host(), targetForApi.port(), "prepareThreshold=0"));
        api = new ControlServer(new InetSocketAddress("127.0.0.1", 0), services, BearerTokens.of(List.of("ops admin " + TOKEN,
                "prometheus read " + READER)));
        api.start();
        contract = OpenApiContract.load();
        Files.createDirectories(CAPTURED);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (targetForApi != null) {
            targetForApi.close();
        }
        for (String c : List.of("shop-source", "shop-sink")) {
            try {
                connect.connect().deleteConnector(c);
            } catch (RuntimeException ignored) {
                // gone already (the delete step)
            }
        }
    }

    record Answer(int status, JsonNode body) {
    }

    private static Answer call(String method, String path, String body) throws Exception {
        return call(method, path, body, TOKEN);
    }

    private static Answer call(String method, String path, String body, String token) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        Answer a = new Answer(r.statusCode(), r.body().isBlank() ? null : r.headers().firstValue("Content-Type")
                .orElse("").contains("json") ? Json.MAPPER.readTree(r.body()) : Json.MAPPER.getNodeFactory().textNode(r.body()));
        String template = api.routes().stream().filter(route -> route.method().equals(method)
                && route.template().split("/").length == path.split("\\?")[0].split("/").length
                && path.split("\\?")[0].matches(route.template().replaceAll("\\{[a-z]+}", "[^/]+"))).findFirst()
                .map(route -> route.template()).orElseThrow();
        if (a.body() != null && a.body().isContainerNode()) {
            // Every answer of the running pipeline against the schema the OpenAPI document gives it.
            violations.addAll(contract.violations(method, template, a.status(), "application/json", a.body()));
        }
        return a;
    }

    /** Connect's own view: {@code GET /connectors/{name}/status}. */
    private static String connectState(String connector) {
        var info = connect.statusOrNull(connector);
        return info == null ? "NOT_CREATED" : info.connector().state();
    }

    private static long count(String sql) {
        return target.count(sql);
    }

    @Test
    @Order(1)
    void precheckPassesOnAFreshProject() throws Exception {
        Answer a = call("POST", "/projects/shop/precheck", null);
        LOG.info("precheck: {}", a.body());
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().path("ok").asBoolean()).as(a.body().toString()).isTrue();
        List<String> names = new ArrayList<>();
        a.body().path("checks").forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).contains("connect", "plugin TidemarkPostgresConnector", "plugin PostgresSinkConnector",
                "source config", "sink config", "target database", "table public.x", "table public.y", "source database");
    }

    @Test
    @Order(2)
    void startCreatesBothConnectorsAndTheSnapshotArrives() throws Exception {
        Answer a = call("POST", "/projects/shop/start", "{\"waitSeconds\": 120}");
        assertThat(a.status()).as(String.valueOf(a.body())).isEqualTo(200);
        assertThat(connectState("shop-source")).isEqualTo("RUNNING");
        assertThat(connectState("shop-sink")).isEqualTo("RUNNING");
        awaitTarget("the snapshot and two iterations applied", () -> count("SELECT count(*) FROM shop_t.x") == 50
                && count("SELECT count(*) FROM tm_shop.iteration WHERE status = 'APPLIED'") >= 3);
    }

    @Test
    @Order(3)
    void refusalsAre409NamingTheStatusAndTheAllowedActions() throws Exception {
        Answer start = call("POST", "/projects/shop/tables/public.x/start", null);
        assertThat(start.status()).isEqualTo(409);
        assertThat(start.body().path("message").asText()).isEqualTo("start refused: public.x is RUNNING (allowed: pause, stop)");
        Answer mode = call("PUT", "/projects/shop/tables/public.x/mode", "{\"mode\": \"FULL\"}");
        assertThat(mode.status()).isEqualTo(409);
        assertThat(mode.body().path("message").asText()).startsWith("mode change to FULL refused: public.x is RUNNING");
        Answer unknown = call("POST", "/projects/shop/tables/public.nope/pause", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("message").asText()).contains("no table 'public.nope'", "public.x", "public.y");
    }

    @Test
    @Order(4)
    void aPausedTableHoldsItsChangesInKafkaAndCatchesUpWhenStarted() throws Exception {
        Answer pause = call("POST", "/projects/shop/tables/public.x/pause", null);
        assertThat(pause.status()).as(String.valueOf(pause.body())).isEqualTo(200);
        assertThat(pause.body().path("message").asText()).isEqualTo("public.x PAUSED");
        assertThat(connectState("shop-sink")).as("a table pause is the sink's, not Connect's").isEqualTo("RUNNING");
        source.execute("INSERT INTO public.x SELECT g, 'late' FROM generate_series(51, 60) g",
                "INSERT INTO public.y SELECT g, g FROM generate_series(31, 40) g");
        awaitTarget("y goes on", () -> count("SELECT count(*) FROM shop_t.y") == 40);
        assertThat(count("SELECT count(*) FROM shop_t.x")).as("x is paused: its changes wait in Kafka").isEqualTo(50);
        Answer lagged = call("GET", "/projects/shop/tables/public.x", null);
        assertThat(lagged.body().path("status").asText()).isEqualTo("PAUSED");
        assertThat(lagged.body().path("lagRecords").asLong()).as("the lag counts the waiting records").isGreaterThan(0);

        Answer start = call("POST", "/projects/shop/tables/public.x/start", null);
        assertThat(start.status()).as(String.valueOf(start.body())).isEqualTo(200);
        awaitTarget("x catches up", () -> count("SELECT count(*) FROM shop_t.x") == 60);
    }

    @Test
    @Order(5)
    void statusMetricsPluginMetricsAndTheCliShowTheRunningPipeline() throws Exception {
        awaitTarget("another iteration", () -> count("SELECT count(*) FROM tm_shop.iteration WHERE status = 'APPLIED'") >= 5);
        Answer status = call("GET", "/projects/shop", null);
        assertThat(status.status()).isEqualTo(200);
        JsonNode s = status.body();
        Files.writeString(CAPTURED.resolve("status.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        assertThat(s.path("state").asText()).isEqualTo("RUNNING");
        assertThat(s.path("connectors").get(0).path("tasks").get(0).path("state").asText()).isEqualTo("RUNNING");
        assertThat(s.path("tables")).hasSize(2);
        assertThat(s.path("completed").path("count").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(s.path("license").path("state").asText()).isEqualTo("OK");
        assertThat(s.path("iterations").size()).isGreaterThanOrEqualTo(5);
        assertThat(s.path("problems")).isEmpty();
        assertThat(call("GET", "/projects/shop/iterations?limit=3", null, READER).body()).hasSize(3);
        Answer version = call("GET", "/version", null, READER);
        assertThat(version.body().toString()).contains("io.tidemark.sink.PostgresSinkConnector",
                "io.tidemark.source.TidemarkPostgresConnector");
        HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);

        // The scrape answers from a snapshot read in the background: the newest has the running pipeline.
        Awaitility.await("metrics of the running pipeline").atMost(Duration.ofSeconds(60)).until(() -> call("GET",
                "/metrics", null, READER).body().asText().contains("tidemark_project_state{project=\"shop\",state=\"RUNNING\"} 1"));
        String text = call("GET", "/metrics", null, READER).body().asText();
        Files.writeString(CAPTURED.resolve("metrics.txt"), text);
        assertThat(text).contains("tidemark_iterations_applied_total{project=\"shop\"}", "tidemark_applied_bytes_total",
                "tidemark_table_status{project=\"shop\",status=\"RUNNING\",table=\"public.x\"} 1",
                "tidemark_table_status{project=\"shop\",status=\"PAUSED\",table=\"public.x\"} 0",
                "tidemark_status_read_timestamp_seconds{project=\"shop\"}");
        Promtool.Result rules = Promtool.run(List.of(new Promtool.Scenario("the running pipeline of ControlApiIT", text,
                true, Duration.ofMinutes(20), List.of(), java.time.Instant.now())), CAPTURED);
        Files.writeString(CAPTURED.resolve("promtool.txt"), rules.output());
        assertThat(rules.exitCode()).as("a healthy pipeline fires no alert: " + rules.output()).isZero();

        // The plugins' own figures, in the worker's JMX.
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Object upserted = jmx.getAttribute(new ObjectName("kafka.connect:type=plugins,connector=shop-sink,task=0"),
                "tidemark-rows-upserted-total");
        Object markers = jmx.getAttribute(new ObjectName("kafka.connect:type=plugins,connector=shop-source,task=0"),
                "tidemark-markers-written-total");
        LOG.info("JMX: sink rows upserted {}, source markers written {}", upserted, markers);
        assertThat(((Number) upserted).longValue()).isGreaterThanOrEqualTo(100);
        assertThat(((Number) markers).longValue()).isGreaterThanOrEqualTo(3);

        Cli cli = tidemark("status", "shop");
        Files.writeString(CAPTURED.resolve("status.txt"), cli.out());
        LOG.info("tidemark status shop:\n{}", cli.out());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("project shop: RUNNING").contains("shop-sink", "public.x", "license: OK");
        // Verification through the CLI and the API: the quiet pipeline's tables are in sync, and status says so.
        Cli verify = tidemark("verify", "shop", "--confirm-wait", "20");
        Files.writeString(CAPTURED.resolve("verify.txt"), verify.out());
        LOG.info("tidemark verify shop:\n{}\n{}", verify.out(), verify.err());
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("IN_SYNC    public.x", "IN_SYNC    public.y", "tables in sync at iteration");
        assertThat(tidemark("status", "shop").out()).contains("verification: run ");
        Cli json = tidemark("status", "shop", "--json");
        assertThat(Json.MAPPER.readTree(json.out()).path("project").asText()).isEqualTo("shop");
        Cli refused = tidemark("table", "start", "shop", "public.y");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("start refused: public.y is RUNNING (allowed: pause, stop) [HTTP 409]");
        Cli unknown = tidemark("status", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(tidemark("status", "shop", "--token-file", "/dev/null").exitCode()).isEqualTo(2);

        // Prometheus' token reads, and may not act: 403 naming the scope, recorded in the audit with its name.
        HttpResponse<String> refusal = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                        + "/projects/shop/tables/public.x/pause")).header("Authorization", "Bearer " + READER)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        Files.writeString(CAPTURED.resolve("scope-refusal.txt"), "POST /projects/shop/tables/public.x/pause\n"
                + "Authorization: Bearer <the read token named prometheus>\n\nHTTP " + refusal.statusCode() + "\n"
                + refusal.headers().map().entrySet().stream().filter(h -> !h.getKey().equals(":status"))
                .map(h -> h.getKey() + ": " + String.join(", ", h.getValue())).sorted().reduce("", (x, y) -> x + y + "\n")
                + "\n" + refusal.body());
        assertThat(refusal.statusCode()).isEqualTo(403);
        assertThat(refusal.body()).contains("token 'prometheus' has scope read; POST /projects/{project}/tables/{table}/pause needs operate");
        // The audit rows are written by a thread of their own: the refusal's comes a moment after its answer.
        Awaitility.await("the refusal audited").atMost(Duration.ofSeconds(10)).until(() -> call("GET",
                "/projects/shop/audit", null, READER).body().toString().contains("\"outcome\":\"forbidden\""));
        Answer audit = call("GET", "/projects/shop/audit", null, READER);
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body().toString()).contains("\"caller\":\"ops\"", "\"caller\":\"prometheus\"",
                "\"outcome\":\"forbidden\"", "\"outcome\":\"refused\"").doesNotContain(TOKEN, READER);
        Cli auditText = tidemark("audit", "shop");
        Files.writeString(CAPTURED.resolve("audit.txt"), auditText.out());
        assertThat(auditText.exitCode()).as(auditText.err()).isZero();
        assertThat(auditText.out()).contains("prometheus", "forbidden", "/projects/shop/tables/public.x/pause");
        assertThat(target.count("SELECT count(*) FROM tm_shop.api_audit WHERE caller = 'ops' AND outcome = 'done'"))
                .isGreaterThanOrEqualTo(3);
        assertThat(violations).as("answers that do not match the OpenAPI document").isEmpty();
    }

    @Test
    @Order(6)
    void pauseAndStartDriveBothConnectors() throws Exception {
        Cli pause = tidemark("pause", "shop");
        assertThat(pause.exitCode()).as(pause.err()).isZero();
        assertThat(connectState("shop-source")).isEqualTo("PAUSED");
        assertThat(connectState("shop-sink")).isEqualTo("PAUSED");
        assertThat(call("GET", "/projects/shop", null).body().path("state").asText()).isEqualTo("PAUSED");
        Answer start = call("POST", "/projects/shop/start", null);
        assertThat(start.status()).as(String.valueOf(start.body())).isEqualTo(200);
        assertThat(connectState("shop-source")).isEqualTo("RUNNING");
        assertThat(connectState("shop-sink")).isEqualTo("RUNNING");
        Answer restart = call("POST", "/projects/shop/restart", null);
        assertThat(restart.status()).isEqualTo(200);
        assertThat(restart.body().path("message").asText()).isEqualTo("no failed connector or task");
    }

    @Test
    @Order(7)
    void stopStopsTheConnectorsWhileTheTargetDoesNotAnswerAndSaysWhatWasNotRecorded() throws Exception {
        targetForApi.blackhole(true);
        Answer stop;
        try {
            stop = call("POST", "/projects/shop/stop", null);
        } finally {
            targetForApi.blackhole(false);
        }
        Files.writeString(CAPTURED.resolve("stop-target-down.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(stop.body()));
        assertThat(stop.status()).as(String.valueOf(stop.body())).isEqualTo(200);
        assertThat(connectState("shop-source")).isEqualTo("STOPPED");
        assertThat(connectState("shop-sink")).isEqualTo("STOPPED");
        assertThat(stop.body().path("unrecorded").toString()).contains("project desired_state STOPPED was not written")
                .containsAnyOf("does not answer", "the connection failed");
        Answer start = call("POST", "/projects/shop/start", "{\"waitSeconds\": 120}");
        assertThat(start.status()).as(String.valueOf(start.body())).isEqualTo(200);
        awaitTarget("every table RUNNING again", () -> count("SELECT count(*) FROM tm_shop.table_state"
                + " WHERE status <> 'RUNNING'") == 0);
    }

    @Test
    @Order(8)
    void softStopEndsWithBothConnectorsStoppedAfterAFinalIterationApplied() throws Exception {
        source.execute("UPDATE public.y SET n = n + 1000 WHERE id <= 10", "DELETE FROM public.x WHERE id > 55");
        Cli soft = tidemark("soft-stop", "shop", "--wait", "120");
        LOG.info("tidemark soft-stop shop: {}\n{}", soft.out(), soft.err());
        Files.writeString(CAPTURED.resolve("soft-stop.txt"), soft.err() + soft.out());
        assertThat(soft.exitCode()).as(soft.err()).isZero();
        assertThat(soft.err()).contains("FINAL marker requested", "final iteration");
        assertThat(connectState("shop-source")).isEqualTo("STOPPED");
        assertThat(connectState("shop-sink")).isEqualTo("STOPPED");
        assertThat(target.rowsAsText("SELECT status FROM tm_shop.iteration WHERE final")).containsExactly("APPLIED");
        assertThat(target.rowsAsText("SELECT DISTINCT status FROM tm_shop.table_state")).containsExactly("STOPPED");
        assertThat(target.rowsAsText("SELECT id, v FROM shop_t.x ORDER BY id"))
                .isEqualTo(source.rowsAsText("SELECT id, v FROM public.x ORDER BY id"));
        assertThat(target.rowsAsText("SELECT id, n FROM shop_t.y ORDER BY id"))
                .isEqualTo(source.rowsAsText("SELECT id, n FROM public.y ORDER BY id"));
        Answer tableStart = call("POST", "/projects/shop/tables/public.x/pause", null);
        assertThat(tableStart.status()).isEqualTo(409);
        assertThat(tableStart.body().path("message").asText()).isEqualTo("pause refused: public.x is STOPPED (allowed: start)");
    }

    @Test
    @Order(9)
    void startAfterASoftStopGoesOnWithNewIterations() throws Exception {
        long finalIteration = count("SELECT iteration FROM tm_shop.iteration WHERE final");
        Answer start = call("POST", "/projects/shop/start", "{\"waitSeconds\": 120}");
        assertThat(start.status()).as(String.valueOf(start.body())).isEqualTo(200);
        assertThat(start.body().path("steps").toString()).contains("the last marker was final");
        source.execute("INSERT INTO public.x VALUES (1000, 'after')");
        awaitTarget("a new iteration after the final one, and the new row", () -> count("SELECT count(*) FROM tm_shop.iteration"
                + " WHERE status = 'APPLIED' AND iteration > " + finalIteration) >= 1
                && count("SELECT count(*) FROM shop_t.x WHERE id = 1000") == 1);
        assertThat(target.rowsAsText("SELECT DISTINCT accepted_state FROM tm_shop.table_state")).containsExactly("RUNNING");
        // The task started after the stop rewrites the previous task's STOPPED partition rows.
        awaitTarget("every table RUNNING again", () -> count("SELECT count(*) FROM tm_shop.table_state"
                + " WHERE status <> 'RUNNING'") == 0);
        Answer status = call("GET", "/projects/shop", null);
        for (var table : status.body().path("tables")) {
            assertThat(table.path("iteration").asLong(-1)).as("%s has an iteration", table.path("sourceTable"))
                    .isGreaterThan(finalIteration);
        }
        assertThat(target.rowsAsText("SELECT action, reason FROM tm_shop.action_log WHERE outcome = 'refused'"
                + " AND reason LIKE 'start refused%'"))
                .as("a soft stop leaves no refusal behind").isEmpty();
    }

    @Test
    @Order(10)
    void stopThenDeleteResetsTheSinkOffsetsKeepsTheUsageAndRefusesToDropStagedChanges() throws Exception {
        Answer running = call("DELETE", "/projects/shop?confirm=shop", null);
        assertThat(running.status()).isEqualTo(409);
        assertThat(running.body().path("message").asText()).contains("delete refused: connector shop-source is RUNNING");
        Answer stop = call("POST", "/projects/shop/stop", null);
        assertThat(stop.status()).as(String.valueOf(stop.body())).isEqualTo(200);
        assertThat(connectState("shop-source")).isEqualTo("STOPPED");
        assertThat(connectState("shop-sink")).isEqualTo("STOPPED");
        assertThat(target.rowsAsText("SELECT DISTINCT status FROM tm_shop.table_state")).containsExactly("STOPPED");
        long used = count("SELECT used_bytes FROM tm_shop.license_usage WHERE project = 'shop'");
        assertThat(used).isPositive();
        assertThat(sinkGroupOffsets()).as("the sink's consumer group has offsets before").isNotEmpty();

        // A FULL table's changes staged for an iteration not yet applied, as the sink leaves them.
        target.execute("CREATE TABLE tm_shop.stage_z (id int, __tidemark_iteration bigint)",
                "INSERT INTO tm_shop.stage_table (project, source_table, target_table, stage_name)"
                        + " VALUES ('shop', 'PUBLIC.Z', 'shop_t.z', 'stage_z')",
                "INSERT INTO tm_shop.stage_z VALUES (1, 7), (2, 7)");
        Cli refused = tidemark("delete", "shop", "--confirm", "shop");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.out() + refused.err()).contains("2 changes are staged").contains("--discard-staged");
        assertThat(connectState("shop-sink")).as("nothing was deleted").isEqualTo("STOPPED");

        Cli delete = tidemark("delete", "shop", "--confirm", "shop", "--discard-staged");
        assertThat(delete.exitCode()).as(delete.out() + delete.err()).isZero();
        assertThat(connectState("shop-source")).isEqualTo("NOT_CREATED");
        assertThat(connectState("shop-sink")).isEqualTo("NOT_CREATED");
        assertThat(sinkGroupOffsets()).as("reset through Connect's offsets API").isEmpty();
        assertThat(count("SELECT count(*) FROM tm_shop.kafka_offsets")).isZero();
        assertThat(count("SELECT count(*) FROM tm_shop.table_state")).isZero();
        assertThat(target.scalar("SELECT to_regclass('tm_shop.stage_z')::text")).isNull();
        assertThat(count("SELECT used_bytes FROM tm_shop.license_usage WHERE project = 'shop'"))
                .as("the usage stays: a new start meters on from it").isEqualTo(used);
        assertThat(count("SELECT count(*) FROM shop_t.x")).isEqualTo(56);
    }

    /** The committed offsets of the sink's consumer group, as Kafka holds them. */
    private static Map<TopicPartition, OffsetAndMetadata> sinkGroupOffsets() throws Exception {
        try (Admin admin = connect.connect().kafka().createAdminClient()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(admin.listConsumerGroupOffsets(
                    "connect-shop-sink").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
            offsets.values().removeIf(Objects::isNull);
            return offsets;
        }
    }

    private static void awaitTarget(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(condition);
    }

    /** bin/tidemark itself, on what the package phase built, against the running API. */
    private static Cli tidemark(String... args) throws IOException, InterruptedException {
        return Launcher.run(api.port(), TOKEN, Duration.ofSeconds(180), args);
    }
}
