package io.tidemark.control.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.ControlServer;
import io.tidemark.control.api.Json;
import io.tidemark.control.auth.BearerTokens;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The dashboard in a real browser (Debian's headless chromium, through Selenium) against a running
 * pipeline: an embedded Connect worker with both plugins, the PostgreSQL demo source and target,
 * the control API serving the page. Every click is checked where it lands (the control schema,
 * Connect's own status) and on the page; each state is kept as a screenshot under
 * target/dashboard-it/ (docs/dashboard.md shows some). The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardIT.class);
    private static final String OPERATOR = "it-operator-0123456789abcdef0123";
    private static final String READER = "it-reader-0123456789abcdef0123";
    private static final Path SHOTS = Path.of(System.getProperty("basedir", ".")).resolve("target/dashboard-it");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("dashboard");

    private static PostgresTestDatabase target;
    private static PostgresTestDatabase source;
    private static ConnectTestCluster connect;
    private static ControlServer api;
    private static HeadlessChromium browser;
    private static String page;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChromium.start(SHOTS); // first: without a browser there is nothing to test
        target = PIPELINE.db();
        connect = PIPELINE.connect();
        source = PIPELINE.database("dashboard_src");
        source.execute("CREATE TABLE public.x (id int PRIMARY KEY, v text)", "CREATE TABLE public.y (id int PRIMARY KEY, n bigint)",
                "INSERT INTO public.x SELECT g, 'x' || g FROM generate_series(1, 50) g",
                "INSERT INTO public.y SELECT g, g FROM generate_series(1, 30) g");
        Map<String, ProjectServices> services = ShopProject.services(connect, source, target, target.jdbcUrl());
        api = new ControlServer(new InetSocketAddress("127.0.0.1", 0), services,
                BearerTokens.of(List.of("ops operate " + OPERATOR, "viewer read " + READER)));
        api.start();
        page = "http://127.0.0.1:" + api.port() + "/?poll=1000";
        assertThat(api("POST", "/projects/shop/start", "{\"waitSeconds\": 120}").path("message").asText()).isNotEmpty();
        await("the snapshot and three iterations applied", () -> target.count("SELECT count(*) FROM tm_shop.iteration"
                + " WHERE status = 'APPLIED'") >= 3);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (api != null) {
            api.close();
        }
        for (String c : List.of("shop-source", "shop-sink")) {
            try {
                connect.connect().deleteConnector(c);
            } catch (RuntimeException ignored) {
                // not created
            }
        }
    }

    @Test
    @Order(1)
    void thePageAsksForATokenAndShowsNothingWithAWrongOne() throws Exception {
        browser.driver.get(page);
        await("the token form", () -> find("#login").isDisplayed());
        assertThat(find("#board").isDisplayed()).as("nothing is shown before a token").isFalse();
        browser.screenshot("01-token");
        find("#token").sendKeys("not-a-token-of-this-api-0123456789");
        find("#login-form button").click();
        await("the refusal", () -> find("#login-error").getText().startsWith("The API refused this token: "));
        assertThat(find("#login-error").getText()).contains("the bearer token is not one of the API's tokens");
        assertThat(find("#board").isDisplayed()).isFalse();
        assertThat(browser.js("return sessionStorage.getItem('tidemark.token')")).as("a refused token is not kept").isNull();
        browser.screenshot("02-token-refused");
    }

    @Test
    @Order(2)
    void theTreeShowsWhatTheStatusApiSays() throws Exception {
        find("#token").clear();
        find("#token").sendKeys(OPERATOR);
        find("#login-form button").click();
        await("the tables", () -> rows().size() == 2);
        assertThat(browser.js("return sessionStorage.getItem('tidemark.token')")).isEqualTo(OPERATOR);
        await("the tree as the status API has it", () -> treeAsShown().equals(treeInApi()));
        assertThat(find("#caller").getText()).isEqualTo("ops (operate)");
        assertThat(find("#project-state").getText()).isEqualTo("RUNNING");
        assertThat(find("#completed").getText()).contains("Iterations applied");
        assertThat(find("#license").getText()).contains("OK");
        browser.screenshot("03-running");
    }

    @Test
    @Order(3)
    void aPauseClickPausesTheTableInTheControlSchemaAndThePageShowsPaused() throws Exception {
        row("public.x").findElement(By.cssSelector("button[data-action=pause]")).click();
        await("public.x PAUSED in the control schema", () -> target.rowsAsText("SELECT status || ' ' || accepted_state"
                + " FROM tm_shop.table_state WHERE source_table = 'public.x'").equals(List.of("PAUSED PAUSED")));
        await("the page shows PAUSED", () -> "PAUSED".equals(row("public.x").getDomAttribute("data-status")));
        assertThat(row("public.x").getText()).contains("public.x PAUSED");
        // A table's pause is the sink's (its partitions), not Connect's: the connector and its task run on.
        assertThat(connect.statusOrNull("shop-sink").connector().state()).isEqualTo("RUNNING");
        source.execute("INSERT INTO public.x SELECT g, 'late' FROM generate_series(51, 60) g");
        await("the page shows the changes waiting in Kafka", () -> !row("public.x").findElement(
                By.cssSelector("td:nth-child(6)")).getText().startsWith("0"));
        assertThat(target.count("SELECT count(*) FROM shop_t.x")).isEqualTo(50);
        WebElement pause = row("public.x").findElement(By.cssSelector("button[data-action=pause]"));
        assertThat(pause.getDomAttribute("aria-disabled")).isEqualTo("true");
        assertThat(pause.getDomAttribute("title")).isEqualTo("pause is not allowed: public.x is PAUSED (allowed: start, stop)");
        browser.screenshot("04-table-paused");
    }

    @Test
    @Order(4)
    void aRefusedActionShowsTheApisRefusalInPlace() throws Exception {
        find("[data-project-action=soft-stop]").click();
        await("the confirmation", () -> find("#confirm").isDisplayed());
        find("#confirm-ok").click();
        await("the refusal", () -> find("#project-message").getText().startsWith("soft stop refused"));
        assertThat(find("#project-message").getDomAttribute("class")).isEqualTo("refusal");
        assertThat(find("#project-message").getText()).contains("public.x", "PAUSED");
        await("the API refused it, not the page (its audit)", () -> target.count("SELECT count(*) FROM tm_shop.api_audit"
                + " WHERE path = '/projects/shop/soft-stop' AND status = 409") == 1);
        browser.screenshot("05-refusal");

        row("public.x").findElement(By.cssSelector("button[data-action=start]")).click();
        await("public.x RUNNING again", () -> "RUNNING".equals(row("public.x").getDomAttribute("data-status")));
        await("x caught up", () -> target.count("SELECT count(*) FROM shop_t.x") == 60);
    }

    @Test
    @Order(5)
    void aChartHasOnePointPerAppliedIteration() throws Exception {
        await("the chart's points are the applied iterations", () -> {
            List<Long> applied = new ArrayList<>();
            api("GET", "/projects/shop/iterations?limit=100", null).forEach(i -> {
                if ("APPLIED".equals(i.path("status").asText())) {
                    applied.add(i.path("iteration").asLong());
                }
            });
            return chartX("rows").equals(applied) && chartX("time").equals(applied) && applied.size() >= 3;
        });
        LOG.info("the rows chart shows iterations {}", chartX("rows"));
        await("the timeline gives each iteration's source position as the API does", () -> {
            Map<String, String> positions = new java.util.HashMap<>();
            api("GET", "/projects/shop/iterations?limit=100", null).forEach(i -> positions.put(i.path("iteration")
                    .asText(), i.path("sourcePosition").asText("–")));
            List<WebElement> timeline = browser.driver.findElements(By.cssSelector("#timeline tr[data-iteration]"));
            return !timeline.isEmpty() && timeline.stream().allMatch(r -> r.findElement(By.cssSelector("td:nth-child(3)"))
                    .getText().equals(positions.get(r.getDomAttribute("data-iteration"))));
        });
        assertThat(find("#timeline tr[data-iteration] td:nth-child(3)").getText()).as("a PostgreSQL source's LSN")
                .matches("[0-9A-F]+/[0-9A-F]+|\\d+");
        browser.js("document.getElementById('charts-title').scrollIntoView()");
        browser.screenshot("06-charts");
    }

    @Test
    @Order(6)
    void projectPauseAndStartFromThePageReachConnect() throws Exception {
        browser.js("window.scrollTo(0, 0)");
        find("[data-project-action=pause]").click();
        await("both connectors PAUSED in Connect's view", () -> connectState("shop-source").equals("PAUSED")
                && connectState("shop-sink").equals("PAUSED"));
        await("the page shows PAUSED", () -> find("#project-state").getText().startsWith("PAUSED"));
        browser.screenshot("07-project-paused");
        find("[data-project-action=start]").click();
        await("both connectors RUNNING again", () -> connectState("shop-source").equals("RUNNING")
                && connectState("shop-sink").equals("RUNNING"));
        await("the page shows RUNNING", () -> find("#project-state").getText().startsWith("RUNNING"));
    }

    @Test
    @Order(7)
    void aVerificationThroughTheApiShowsItsTablesInSyncInThePanelAndTheirMarksInTheTree() throws Exception {
        assertThat(api("POST", "/projects/shop/verify", "{\"confirmWaitSeconds\": 20}").path("message").asText())
                .startsWith("IN_SYNC");
        JsonNode v = api("GET", "/projects/shop/verification", null);
        String iteration = v.path("iteration").asText();
        List<String> inApi = new ArrayList<>();
        v.path("tables").forEach(t -> inApi.add(t.path("table").asText() + " " + t.path("status").asText() + " "
                + t.path("iteration").asText()));
        assertThat(inApi).containsExactly("public.x IN_SYNC " + iteration, "public.y IN_SYNC " + iteration);
        await("the panel shows the API's run, its tables in sync at its iteration", () -> find("#verification-result")
                .getText().startsWith("Run " + v.path("run").asText() + " IN_SYNC at iteration " + iteration)
                && browser.driver.findElements(By.cssSelector("#verification-tables tr[data-table]")).stream()
                .map(r -> r.getDomAttribute("data-table") + " " + r.findElement(By.cssSelector("td:nth-child(2)")).getText()
                        + " " + r.findElement(By.cssSelector("td:nth-child(3)")).getText()).toList().equals(inApi));
        Map<String, String> marks = new java.util.HashMap<>();
        v.path("marks").forEach(m -> marks.put(m.path("table").asText(), "through " + m.path("iteration").asText()));
        assertThat(marks).containsEntry("public.x", "through " + iteration).containsEntry("public.y", "through " + iteration);
        await("the tree shows each table's verified-through mark", () -> rows().stream().allMatch(r -> r.findElement(
                By.cssSelector("td.verified")).getText().equals(marks.get(r.getDomAttribute("data-table")))));
        assertThat(find("#verify").getDomAttribute("aria-disabled")).as("an operate token may verify").isEqualTo("false");
        assertThat(find("#cutover").getText()).contains("No cutover yet.", "the CLI runs it");
        browser.js("document.getElementById('verification-title').scrollIntoView()");
        browser.screenshot("12-verification");
    }

    @Test
    @Order(8)
    void aThousandTablesLoadAndFilterFastAndLongNamesKeepTheLayout() throws Exception {
        find("[data-project-action=stop]").click();
        await("the confirmation", () -> find("#confirm").isDisplayed());
        browser.screenshot("07b-confirm-stop");
        find("#confirm-ok").click();
        await("both connectors STOPPED", () -> connectState("shop-source").equals("STOPPED")
                && connectState("shop-sink").equals("STOPPED"));
        // 998 more tables in the control schema (the sink is stopped: nothing else writes there).
        target.execute("INSERT INTO tm_shop.table_state (project, source_table, target_table, status, reason, mode,"
                + " iteration) SELECT 'shop', 'app' || (g % 20) || '.' || CASE WHEN g = 7 THEN repeat('very_long_name_', 20)"
                + " ELSE 'table_' || g END, 'shop_t.t' || g, (ARRAY['RUNNING','PAUSED','STOPPED','ERROR_RETRIABLE',"
                + "'WAITING'])[1 + g % 5], CASE WHEN g % 5 = 3 THEN 'ERROR: duplicate key value violates unique constraint'"
                + " END, CASE WHEN g % 3 = 0 THEN 'FULL' ELSE 'PARTIAL' END, 5 FROM generate_series(1, 998) g");
        try {
            browser.driver.navigate().refresh();
            await("a thousand tables shown", () -> rows().size() == 1000);
            double loadMs = ((Number) browser.js("return tidemarkDashboard.tree.firstShownAt")).doubleValue();
            double renderMs = ((Number) browser.js("return tidemarkDashboard.tree.renderMs")).doubleValue();
            new Select(find("#filter-status")).selectByValue("ERROR");
            await("the error tables only", () -> rows().size() == 200);
            double filterMs = ((Number) browser.js("return tidemarkDashboard.tree.renderMs")).doubleValue();
            System.out.printf("DashboardIT: 1,000 tables: page load to the tree shown %.0f ms (tree render %.1f ms); "
                    + "status filter %.1f ms%n", loadMs, renderMs, filterMs);
            LOG.info("1,000 tables: load {} ms, render {} ms, filter {} ms", loadMs, renderMs, filterMs);
            assertThat(loadMs).as("loose bound: the page with 1,000 tables").isLessThan(15_000);
            browser.screenshot("08-thousand-tables-errors");
            new Select(find("#filter-status")).selectByValue("");
            find("#filter-name").sendKeys("very_long");
            await("the long name", () -> rows().size() == 1);
            assertThat(noSidewaysScroll()).as("a long name wraps").isTrue();
            browser.emulate(390, 844, true);
            assertThat(noSidewaysScroll()).as("on a phone too").isTrue();
            browser.js("arguments[0].scrollIntoView({block: 'center'})", rows().get(0));
            browser.screenshot("09-phone-dark-long-name");
            browser.emulate(1400, 1000, false);
        } finally {
            target.execute("DELETE FROM tm_shop.table_state WHERE source_table LIKE 'app%'");
        }
    }

    @Test
    @Order(9)
    void aReadTokenSeesAndCannotAct() throws Exception {
        browser.js("sessionStorage.clear()");
        browser.driver.navigate().refresh();
        find("#token").sendKeys(READER);
        find("#login-form button").click();
        await("the tables", () -> rows().size() == 2);
        WebElement start = find("[data-project-action=start]");
        assertThat(start.getDomAttribute("aria-disabled")).isEqualTo("true");
        assertThat(start.getDomAttribute("title")).isEqualTo("your token has scope read; start needs operate");
        start.click();
        assertThat(find("#project-message").getText()).isEqualTo("your token has scope read; start needs operate");
        assertThat(find("#verify").getDomAttribute("title")).isEqualTo("your token has scope read; verify needs operate");
    }

    @Test
    @Order(10)
    void whenConnectDoesNotAnswerThePageSaysSoAndShowsTheControlSchemasView() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once closed: a Connect cluster that is down
        }
        try (ControlServer blind = new ControlServer(new InetSocketAddress("127.0.0.1", 0), ShopProject.services(
                "http://127.0.0.1:" + closed, connect, source, target, target.jdbcUrl()),
                BearerTokens.of(List.of("viewer read " + READER)))) {
            blind.start();
            browser.driver.get("http://127.0.0.1:" + blind.port() + "/?poll=1000"); // another origin: a token again
            find("#token").sendKeys(READER);
            find("#login-form button").click();
            await("the page says Connect does not answer", () -> find("#trouble").getText()
                    .startsWith("Connect does not answer."));
            assertThat(find("#project-state").getText()).isEqualTo("UNKNOWN");
            assertThat(rows()).as("the tables from the control schema").hasSize(2);
            browser.screenshot("10-connect-unreachable");
            browser.driver.get(page);
        }
    }

    @Test
    @Order(11)
    void whenTheApiDoesNotAnswerThePageSaysSinceWhenAndKeepsTrying() throws Exception {
        await("the tables", () -> rows().size() == 2);
        api.close();
        await("the page says the API does not answer", () -> find("#trouble").getText()
                .startsWith("The control API does not answer"));
        assertThat(find("#live").getText()).startsWith("unreachable · last updated");
        browser.screenshot("11-api-unreachable");
    }

    // ---- helpers

    private static WebElement find(String css) {
        return browser.driver.findElement(By.cssSelector(css));
    }

    private static List<WebElement> rows() {
        return browser.driver.findElements(By.cssSelector("#table-rows tr[data-table]"));
    }

    private static WebElement row(String table) {
        return rows().stream().filter(r -> table.equals(r.getDomAttribute("data-table"))).findFirst().orElseThrow();
    }

    /** Each row as "name status mode", in the page's order (by name). */
    private static List<String> treeAsShown() {
        return rows().stream().map(r -> r.getDomAttribute("data-table") + " " + r.getDomAttribute("data-status") + " "
                + r.findElement(By.cssSelector("td:nth-child(3)")).getText()).toList();
    }

    private static List<String> treeInApi() throws Exception {
        List<String> rows = new ArrayList<>();
        api("GET", "/projects/shop", null).path("tables").forEach(t -> rows.add(t.path("sourceTable").asText() + " "
                + t.path("status").asText() + " " + t.path("mode").asText()));
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static List<Long> chartX(String chart) {
        List<Number> x = (List<Number>) browser.js("return Array.from(tidemarkDashboard.charts.charts[arguments[0]]"
                + ".data[0])", chart);
        return x.stream().map(Number::longValue).toList();
    }

    private static boolean noSidewaysScroll() {
        return (Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth");
    }

    private static String connectState(String connector) {
        var info = connect.statusOrNull(connector);
        return info == null ? "NOT_CREATED" : info.connector().state();
    }

    private static JsonNode api(String method, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + OPERATOR).method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return Json.MAPPER.readTree(r.body());
    }

    private static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(condition);
    }
}
