package io.tidemark.control.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.ControlServer;
import io.tidemark.control.api.Json;
import io.tidemark.control.auth.BearerTokens;
import io.tidemark.control.it.Launcher.Cli;
import io.tidemark.control.cutover.DepotSchema;
import io.tidemark.control.project.Project;
import io.tidemark.control.project.ProjectFiles;
import io.tidemark.control.project.Secrets;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * {@code bin/tidemark cutover} on a running pipeline (embedded Connect with both plugins, the
 * Debezium PostgreSQL source, the sink) while a workload keeps writing to the source: the soft stop
 * ends, the target holds every change committed before the final marker and none after (the commit
 * order is read from a test_decoding slot of the test's own), and the target's indexes and
 * constraints are the source's. Each step's time is printed.
 */
class CutoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(CutoverIT.class);
    private static final String TOKEN = "it-token-0123456789abcdef0123";
    private static final String READER = "it-reader-0123456789abcdef0123";
    private static final Path CAPTURED = Path.of(System.getProperty("basedir", ".")).resolve("target/cutover-it");
    private static final Pattern ORDER_CHANGE = Pattern.compile("^table depot\\.orders: (INSERT|UPDATE): id\\[bigint]:(\\d+)"
            + ".* status\\[text]:'([A-Z]+)'");
    private static final Pattern MARKER = Pattern.compile("^table tidemark_depot\\.tidemark_iteration: INSERT: "
            + "iteration\\[bigint]:(\\d+)");

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("cutover");

    private static PostgresTestDatabase target;
    private static PostgresTestDatabase source;
    private static ConnectTestCluster connect;
    private static ControlServer api;
    private static String slot;

    @BeforeAll
    static void start() throws Exception {
        target = PIPELINE.db();
        connect = PIPELINE.connect();
        source = PIPELINE.database("cutover_src");
        source.execute(DepotSchema.SOURCE);
        slot = source.name() + "_order";
        Path dir = Files.createTempDirectory("tidemark-projects").resolve("depot");
        Files.createDirectories(dir);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("@CONNECT_URL@", connect.connect().endpointForResource("").replaceAll("/$", ""));
        values.put("@BOOTSTRAP@", connect.bootstrapServers());
        values.put("@SOURCE_HOST@", source.host());
        values.put("@SOURCE_PORT@", Integer.toString(source.port()));
        values.put("@SOURCE_USER@", source.user());
        values.put("@SOURCE_PASSWORD@", source.password());
        values.put("@SOURCE_DB@", source.name());
        values.put("@TARGET_URL@", target.jdbcUrl());
        values.put("@TARGET_USER@", target.user());
        values.put("@TARGET_PASSWORD@", target.password());
        values.put("@LICENSE_KEY@", TestLicenses.generous("depot"));
        for (String file : List.of("project.json", "depot-source.json", "depot-sink.json")) {
            String text = new String(CutoverIT.class.getResourceAsStream("/projects/depot/" + file).readAllBytes(),
                    StandardCharsets.UTF_8);
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace(v.getKey(), v.getValue());
            }
            Files.writeString(dir.resolve(file), text);
        }
        Secrets secrets = new Secrets(Map.of("TIDEMARK_IT_SOURCE_PASSWORD", source.password(),
                "TIDEMARK_IT_TARGET_PASSWORD", target.password()));
        Map<String, Project> projects = new ProjectFiles(secrets).loadAll(dir.getParent());
        Map<String, ProjectServices> services = new LinkedHashMap<>();
        projects.forEach((name, p) -> services.put(name, ProjectServices.of(p, Map.of())));
        api = new ControlServer(new InetSocketAddress("127.0.0.1", 0), services, BearerTokens.of(List.of("ops operate " + TOKEN,
                "dashboard read " + READER)));
        api.start();
        Files.createDirectories(CAPTURED);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        for (String c : List.of("depot-source", "depot-sink")) {
            try {
                connect.connect().deleteConnector(c);
            } catch (RuntimeException ignored) {
                // stopped and gone
            }
        }
        if (source != null && slot != null) {
            source.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                    + slot + "' AND NOT active");
        }
    }

    @Test
    void aCutoverWhileTheSourceKeepsWritingEndsAtTheFinalMarkerWithTheStructureRestored() throws Exception {
        HttpResponse<String> started = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.port() + "/projects/depot/start"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{\"waitSeconds\": 120}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        Awaitility.await("the snapshot in the target").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> count("depot.order_line") == 300 && count("depot.orders") == 120 && count("depot.customer") == 40);

        // A table done early: stopped, then its own structure restored; the foreign key to it waits for orders.
        Cli stopCustomer = tidemark("table", "stop", "depot", "depot.customer", "--wait", "60");
        assertThat(stopCustomer.exitCode()).as(stopCustomer.err() + stopCustomer.out()).isZero();
        Cli finalize = tidemark("table", "finalize", "depot", "depot.customer");
        System.out.println("=== tidemark table finalize depot depot.customer, exit " + finalize.exitCode() + "\n" + finalize.out());
        assertThat(finalize.exitCode()).as(finalize.err() + finalize.out()).isZero();
        assertThat(target.count("SELECT count(*) FROM pg_indexes WHERE indexname = 'customer_email_uk'")).isEqualTo(1);
        assertThat(target.count("SELECT count(*) FROM pg_constraint WHERE conname = 'orders_customer_fk'")).isZero();

        // --plan-only writes the SQL and changes nothing: the connectors run, the target's catalog is as it was.
        List<String> constraintsBefore = target.rowsAsText("SELECT conname FROM pg_constraint WHERE connamespace ="
                + " 'depot'::regnamespace ORDER BY 1");
        Cli planOnly = tidemark("cutover", "depot", "--plan-only", "--sql-file", CAPTURED.resolve("plan-only.sql").toString());
        assertThat(planOnly.exitCode()).as(planOnly.err() + planOnly.out()).isZero();
        assertThat(planOnly.out()).startsWith("PLANNED");
        assertThat(Files.readString(CAPTURED.resolve("plan-only.sql"))).contains("FOREIGN KEY (\"region\", \"customer_no\")");
        assertThat(target.rowsAsText("SELECT conname FROM pg_constraint WHERE connamespace = 'depot'::regnamespace ORDER BY 1"))
                .isEqualTo(constraintsBefore);
        assertThat(connect.statusOrNull("depot-source").connector().state()).isEqualTo("RUNNING");

        // The commit order, from a slot of the test's own: the changes after it, the final marker among them.
        source.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'test_decoding')");
        Map<Long, String> expected = new TreeMap<>();
        source.query("SELECT id, status FROM depot.orders").forEach(r -> expected.put(((Number) r.get("id")).longValue(),
                (String) r.get("status")));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger commits = new AtomicInteger();
        Thread workload = new Thread(() -> write(writing, commits), "cutover-workload");
        workload.start();
        Awaitility.await("the workload going").atMost(Duration.ofSeconds(30)).until(() -> commits.get() > 20);

        // A row the target has and the source never had: the final verification finds it and the cutover stops
        // before the restore, naming the table; with --skip-verify it goes on and the foreign key's VALIDATE refuses it.
        target.execute("INSERT INTO depot.order_line (line_id, region, order_no, qty, sku) VALUES (999999, 'EU', 777777, 1,"
                + " 'orphan')");
        Cli cutover = tidemark("cutover", "depot", "--wait", "150", "--sql-file", CAPTURED.resolve("depot-cutover.sql").toString());
        int atCutoverEnd = commits.get();
        Awaitility.await("more commits after the cutover").atMost(Duration.ofSeconds(10)).until(() -> commits.get() > atCutoverEnd + 5);
        writing.set(false);
        workload.join(10_000);
        Files.writeString(CAPTURED.resolve("cutover.txt"), cutover.err() + "\n" + cutover.out());
        LOG.info("tidemark cutover depot (exit {}):\n{}\n{}", cutover.exitCode(), cutover.err(), cutover.out());
        System.out.println("=== tidemark cutover depot, exit " + cutover.exitCode() + "\n" + cutover.err() + cutover.out());
        assertThat(cutover.exitCode()).as("not verified: " + cutover.err() + cutover.out()).isEqualTo(1);
        assertThat(cutover.out()).startsWith("NOT_VERIFIED: final verification at iteration").contains("depot.order_line (different");
        assertThat(cutover.err()).contains("verification recent: 3 table(s) never verified, compared whole (a full scan)"
                + " at the cutover: depot.customer, depot.order_line, depot.orders");
        assertThat(target.count("SELECT count(*) FROM pg_constraint WHERE conname = 'line_order_fk'")).as("nothing restored").isZero();
        JsonNode notVerified = Json.MAPPER.readTree(tidemark("cutover-report", "depot", "--json").out());
        assertThat(notVerified.path("outcome").asText()).isEqualTo("NOT_VERIFIED");
        assertThat(notVerified.path("steps").toString()).contains("\"step\":\"verification\",\"status\":\"done\"")
                .doesNotContain("restore");

        // A PostgreSQL source cannot be read as of the final marker: put it back as an application stopped at the
        // marker leaves it (the target equals the marker, checked below), so the verification compares like with like.
        sourceBackToTheMarker();

        Cli skipped = tidemark("cutover", "depot", "--skip-verify", "--sql-file", CAPTURED.resolve("depot-cutover.sql").toString());
        Files.writeString(CAPTURED.resolve("skip-verify.txt"), skipped.err() + "\n" + skipped.out());
        System.out.println("=== tidemark cutover depot --skip-verify, exit " + skipped.exitCode() + "\n" + skipped.out());
        assertThat(skipped.exitCode()).as("a statement failed: " + skipped.err() + skipped.out()).isEqualTo(3);
        assertThat(skipped.out()).startsWith("FAILED: step foreign keys stopped on depot.order_line")
                .contains("line_order_fk", "(region, order_no)=(EU, 777777)", "[--skip-verify]");
        assertThat(Files.readString(CAPTURED.resolve("depot-cutover.sql"))).contains("VALIDATE CONSTRAINT \"line_order_fk\"");
        Files.writeString(CAPTURED.resolve("report-failed.md"), tidemark("cutover-report", "depot", "--markdown").out());
        JsonNode report = Json.MAPPER.readTree(tidemark("cutover-report", "depot", "--json").out());
        assertThat(report.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(report.path("verification").path("skipVerify").asBoolean()).isTrue();
        assertThat(report.path("verification").path("status").asText()).isEqualTo("DIFFERENT");
        assertThat(report.path("failures").get(0).path("table").asText()).isEqualTo("depot.order_line");
        assertThat(report.path("steps").toString()).contains("\"step\":\"restore: foreign keys\",\"status\":\"failed\"");

        // The fix, then the cutover again: it verifies again (in sync now) and goes on where it stopped.
        target.execute("DELETE FROM depot.order_line WHERE line_id = 999999");
        Cli resumed = tidemark("cutover", "depot", "--sql-file", CAPTURED.resolve("resumed.sql").toString());
        Files.writeString(CAPTURED.resolve("resumed.txt"), resumed.err() + "\n" + resumed.out());
        System.out.println("=== tidemark cutover depot again after the fix, exit " + resumed.exitCode() + "\n" + resumed.err()
                + resumed.out());
        assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
        assertThat(resumed.out()).startsWith("DONE: structure restored").containsPattern("soft stop +skipped")
                .containsPattern("verification +done");
        Files.writeString(CAPTURED.resolve("report.md"), tidemark("cutover-report", "depot", "--markdown").out());
        JsonNode done = Json.MAPPER.readTree(tidemark("cutover-report", "depot", "--json").out());
        JsonNode verification = done.path("verification");
        assertThat(verification.path("status").asText()).as(verification.toString()).isEqualTo("IN_SYNC");
        assertThat(verification.path("iteration").asLong()).isEqualTo(report.path("finalIteration").asLong());
        // A table with a "verified through" mark is compared from it (none changed after the final iteration); one
        // never in sync before (order_line: the orphan row) is compared whole, with its rows and checksum.
        assertThat(verification.path("tables")).hasSize(3).allSatisfy(t -> {
            assertThat(t.path("status").asText()).isEqualTo("IN_SYNC");
            if (t.path("note").asText().contains("changed since iteration")) {
                assertThat(t.path("note").asText()).contains(": 0 keys of 0 changes");
            } else {
                assertThat(t.path("checksum").asText()).isNotEmpty();
                assertThat(t.path("rows").asLong()).isPositive();
            }
        });
        Map<String, String> notes = new LinkedHashMap<>();
        verification.path("tables").forEach(t -> notes.put(t.path("table").asText(), t.path("note").asText()));
        assertThat(notes.get("depot.order_line")).contains("never verified: compared whole");
        // Compared from its own mark: the iteration the ledger gave the table when it was first verified in sync,
        // which depends on timing (1 alone, 0 under the whole suite), so only its form is fixed here.
        assertThat(notes.get("depot.customer")).containsPattern("changed since iteration \\d+: 0 keys of 0 changes");
        assertThat(Files.readString(CAPTURED.resolve("report.md"))).contains("## Final verification", "| depot.orders | IN_SYNC |");

        // Every change committed before the final marker, none after: replay the slot up to the marker's commit.
        long finalIteration = report.path("finalIteration").asLong();
        int before = 0;
        int after = 0;
        boolean markerSeen = false;
        for (Map<String, Object> row : source.query("SELECT data FROM pg_logical_slot_peek_changes(?, NULL, NULL)", slot)) {
            String data = (String) row.get("data");
            Matcher marker = MARKER.matcher(data);
            if (marker.find() && Long.parseLong(marker.group(1)) == finalIteration) {
                markerSeen = true;
            }
            Matcher change = ORDER_CHANGE.matcher(data);
            if (change.find()) {
                if (markerSeen) {
                    after++;
                } else {
                    before++;
                    expected.put(Long.parseLong(change.group(2)), change.group(3));
                }
            }
        }
        Map<Long, String> inTarget = new TreeMap<>();
        target.query("SELECT id, status FROM depot.orders").forEach(r -> inTarget.put(((Number) r.get("id")).longValue(),
                (String) r.get("status")));
        System.out.println("=== order changes before the final marker " + before + ", after it " + after);
        assertThat(markerSeen).as("final marker " + finalIteration + " in the slot").isTrue();
        assertThat(before).isPositive();
        assertThat(after).as("the workload kept writing after the final marker").isPositive();
        assertThat(inTarget).isEqualTo(expected);

        // The structure is the source's: indexes and constraints alike; sequences past what the target holds.
        Map<String, List<String>> sourceCatalog = DepotSchema.catalog(source);
        Map<String, List<String>> targetCatalog = DepotSchema.catalog(target);
        assertThat(targetCatalog.get("pg_indexes")).isEqualTo(sourceCatalog.get("pg_indexes"));
        assertThat(targetCatalog.get("pg_constraint")).isEqualTo(sourceCatalog.get("pg_constraint"));
        target.execute("INSERT INTO depot.orders (region, customer_no, order_no) VALUES ('EU', 1, 999999)",
                "INSERT INTO depot.order_line (region, order_no, qty, sku) VALUES ('EU', 999999, 1, 'after-cutover')");
        assertThat(target.count("SELECT count(*) FROM depot.orders WHERE status = 'NEW' AND total = 0 AND order_no = 999999"))
                .as("defaults restored").isEqualTo(1);

        // Scopes: the report needs read, running the cutover operate; the cutover is audited.
        assertThat(http("GET", "/projects/depot/cutover/report", READER).statusCode()).isEqualTo(200);
        assertThat(http("POST", "/projects/depot/cutover", READER).statusCode()).isEqualTo(403);
        assertThat(http("GET", "/projects/depot/audit", READER).body()).contains("/projects/depot/cutover",
                "/projects/depot/tables/depot.customer/finalize");
    }

    private static HttpResponse<String> http(String method, String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The source as the target holds it (the final marker's state): what the workload did after it, undone. */
    private static void sourceBackToTheMarker() throws Exception {
        String lines = target.rowsAsText("SELECT line_id FROM depot.order_line").stream().collect(Collectors.joining(","));
        Map<Long, String> orders = new TreeMap<>();
        target.query("SELECT id, status FROM depot.orders").forEach(r -> orders.put(((Number) r.get("id")).longValue(),
                (String) r.get("status")));
        source.execute("DELETE FROM depot.order_line WHERE line_id NOT IN (" + lines + ")");
        source.execute("DELETE FROM depot.orders WHERE id NOT IN (" + orders.keySet().stream().map(String::valueOf)
                .collect(Collectors.joining(",")) + ")");
        for (Map.Entry<Long, String> o : orders.entrySet()) {
            source.execute("UPDATE depot.orders SET status = '" + o.getValue() + "' WHERE id = " + o.getKey()
                    + " AND status <> '" + o.getValue() + "'");
        }
    }

    /** One writer: a new order with two lines, or an order's status moved on, one transaction each. */
    private static void write(AtomicBoolean writing, AtomicInteger commits) {
        int n = 0;
        try (Connection c = source.connect()) {
            c.setAutoCommit(false);
            while (writing.get()) {
                n++;
                if (n % 3 == 0) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE depot.orders SET status = CASE status WHEN 'NEW'"
                            + " THEN 'PAID' ELSE 'SHIPPED' END WHERE id = (SELECT id FROM depot.orders WHERE status <> 'SHIPPED'"
                            + " ORDER BY random() LIMIT 1)")) {
                        ps.executeUpdate();
                    }
                } else {
                    int orderNo = 10_000 + n;
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO depot.orders (region, customer_no, order_no,"
                            + " total) VALUES ('EU', ?, ?, ?)")) {
                        ps.setInt(1, 1 + n % 40);
                        ps.setInt(2, orderNo);
                        ps.setBigDecimal(3, java.math.BigDecimal.valueOf(n, 1));
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO depot.order_line (region, order_no, qty, sku)"
                            + " VALUES ('EU', ?, 1, 'w'), ('EU', ?, 2, 'w')")) {
                        ps.setInt(1, orderNo);
                        ps.setInt(2, orderNo);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                commits.incrementAndGet();
                Thread.sleep(20);
            }
        } catch (Exception e) {
            LOG.error("the workload stopped", e);
        }
    }

    private static long count(String table) {
        try {
            return target.count("SELECT count(*) FROM " + table);
        } catch (RuntimeException e) {
            return -1; // not created yet
        }
    }

    /** bin/tidemark itself, on what the package phase built, against the running API. */
    private static Cli tidemark(String... args) throws IOException, InterruptedException {
        return Launcher.run(api.port(), TOKEN, Duration.ofSeconds(300), args);
    }
}
