package io.tidemark.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.tidemark.control.status.ProjectStatus;

/**
 * The shipped alert rules tested by Prometheus itself ({@code promtool test rules}) against the text
 * {@link PrometheusMetrics} serves: in a healthy project nothing fires, and in the state each rule is
 * for, that rule fires with its labels and annotations and no other does. Times are on promtool's
 * clock: the alerts are evaluated {@link #EVAL} after 0.
 */
class AlertRulesTest {

    private static final Duration EVAL = Duration.ofMinutes(120);
    private static final Path OUT = Path.of(System.getProperty("basedir", ".")).resolve("target/alert-tests");
    private static final Map<String, String> SHOP = Map.of("project", "shop");

    /** An instant {@code ago} before the evaluation, on promtool's clock. */
    private static Instant before(Duration ago) {
        return Instant.ofEpochSecond(EVAL.minus(ago).toSeconds());
    }

    static ProjectStatus healthy() {
        List<ProjectStatus.Connector> connectors = List.of(
                new ProjectStatus.Connector("source", "shop-source", "RUNNING", "w1", null,
                        List.of(new ProjectStatus.Task(0, "RUNNING", "w1", null)), "connect-rest"),
                new ProjectStatus.Connector("sink", "shop-sink", "RUNNING", "w1", null,
                        List.of(new ProjectStatus.Task(0, "RUNNING", "w1", null)), "connect-rest"));
        List<ProjectStatus.Table> tables = List.of(
                new ProjectStatus.Table("public.x", "shop_t.x", "RUNNING", null, "PARTIAL", 4L, null, 12L, "RUNNING",
                        "RUNNING", null, null, null, null, null, null, null));
        return new ProjectStatus("shop", "RUNNING", "shop", "tidemark", "RUNNING", "RUNNING", null, connectors, tables,
                null, List.of(), null, new ProjectStatus.Completed(5, 4, 100, 3, 5000, 60L, before(Duration.ofMinutes(2))),
                new ProjectStatus.License("OK", 5000, 1_000_000L, 995_000L, 0.005, "k1", null, null), List.of(),
                List.of(), before(Duration.ZERO));
    }

    private static Promtool.Scenario scenario(String name, UnaryOperator<ProjectStatus> change,
                                              Promtool.Expected... expected) {
        return new Promtool.Scenario(name, PrometheusMetrics.renderStatuses(List.of(change.apply(healthy()))), true,
                EVAL, List.of(expected));
    }

    private static Promtool.Expected fires(String alert, Map<String, String> labels) {
        return new Promtool.Expected(alert, labels);
    }

    @Test
    void promtoolFiresEachRuleInItsStateAndNothingInAHealthyProject() throws Exception {
        String healthy = PrometheusMetrics.renderStatuses(List.of(healthy()));
        List<Promtool.Scenario> scenarios = new ArrayList<>(List.of(
                scenario("healthy", s -> s),
                new Promtool.Scenario("the API does not answer its scrapes", healthy, false, EVAL,
                        List.of(fires("TidemarkControlApiDown", Map.of("job", Promtool.API_JOB,
                                "instance", "tidemark-api:8088")))),
                new Promtool.Scenario("the scrape job has no target", healthy, null, EVAL,
                        List.of(fires("TidemarkControlApiDown", Map.of("job", Promtool.API_JOB)))),
                scenario("the status was last read 30 minutes ago", s -> at(s, before(Duration.ofMinutes(30))),
                        fires("TidemarkStatusStale", SHOP)),
                scenario("Connect does not answer", s -> withProblems(s, List.of("the Connect cluster does not answer")),
                        fires("TidemarkStatusProblems", SHOP)),
                scenario("a sink task failed (and the project with it)", s -> withFailedTask(s, before(Duration.ofMinutes(90))),
                        fires("TidemarkTaskFailed", Map.of("project", "shop", "role", "sink", "connector", "shop-sink")),
                        fires("TidemarkIterationOverdue", SHOP)),
                scenario("a table in error", s -> withTable(s, "ERROR_ABORTED", 12L),
                        fires("TidemarkTableInError", Map.of("project", "shop", "table", "public.x"))),
                scenario("a table lags", s -> withTable(s, "RUNNING", 5_000_000L),
                        fires("TidemarkLagHigh", Map.of("project", "shop", "table", "public.x"))),
                scenario("no iteration for 90 minutes while running", s -> withLastApplied(s, before(Duration.ofMinutes(90))),
                        fires("TidemarkIterationOverdue", SHOP)),
                scenario("no iteration for 90 minutes, stopped", s -> stopped(withLastApplied(s,
                        before(Duration.ofMinutes(90))))),
                scenario("the license runs low", s -> withLicense(s, "LOW", 950_000), fires("TidemarkLicenseLow", SHOP)),
                scenario("the license is exhausted", s -> withLicense(s, "EXHAUSTED", 990_000),
                        fires("TidemarkLicenseLow", SHOP), fires("TidemarkLicenseExhausted", SHOP))));
        Promtool.Result result = Promtool.run(scenarios, OUT);
        System.out.println("promtool test rules " + result.testFile() + ":\n" + result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void thePrometheusRuleResourceHoldsTheSameRulesEachWithARunbookInTheDocs() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode resource = yaml.readTree(Promtool.RULES.resolveSibling("tidemark-prometheusrule.yaml").toFile());
        assertThat(resource.path("kind").asText()).isEqualTo("PrometheusRule");
        JsonNode plain = yaml.readTree(Promtool.RULES.toFile());
        assertThat(resource.path("spec").path("groups")).isEqualTo(plain.path("groups"));
        String runbooks = Files.readString(Path.of(System.getProperty("basedir", ".")).getParent()
                .resolve("docs/alerts.md"));
        for (JsonNode rule : Promtool.rules()) {
            String alert = rule.path("alert").asText();
            assertThat(rule.path("annotations").path("runbook_url").asText()).as(alert)
                    .endsWith("docs/alerts.md#" + alert.toLowerCase());
            assertThat(runbooks).as("docs/alerts.md has a section for " + alert).contains("\n## " + alert + "\n");
        }
    }

    private static ProjectStatus at(ProjectStatus s, Instant at) {
        return new ProjectStatus(s.project(), s.state(), s.controlProject(), s.controlSchema(), s.desiredState(),
                s.acceptedState(), s.refusal(), s.connectors(), s.tables(), s.load(), s.bulkLoad(),
                s.currentIteration(), s.completed(), s.license(),
                s.iterations(), s.problems(), at);
    }

    private static ProjectStatus withProblems(ProjectStatus s, List<String> problems) {
        return new ProjectStatus(s.project(), s.state(), s.controlProject(), s.controlSchema(), s.desiredState(),
                s.acceptedState(), s.refusal(), s.connectors(), s.tables(), s.load(), s.bulkLoad(),
                s.currentIteration(), s.completed(), s.license(),
                s.iterations(), problems, s.at());
    }

    private static ProjectStatus stopped(ProjectStatus s) {
        return copy(s, "STOPPED", s.connectors(), s.tables(), s.completed(), s.license());
    }

    private static ProjectStatus withFailedTask(ProjectStatus s, Instant lastApplied) {
        List<ProjectStatus.Connector> cs = new ArrayList<>(s.connectors());
        ProjectStatus.Connector sink = cs.get(1);
        cs.set(1, new ProjectStatus.Connector("sink", sink.name(), "RUNNING", "w1", null,
                List.of(new ProjectStatus.Task(0, "FAILED", "w1", "java.lang.IllegalStateException: boom")),
                sink.managedBy()));
        return withLastApplied(copy(s, "FAILED", cs, s.tables(), s.completed(), s.license()), lastApplied);
    }

    private static ProjectStatus withTable(ProjectStatus s, String status, Long lag) {
        return copy(s, s.state(), s.connectors(), List.of(new ProjectStatus.Table("public.x", "shop_t.x", status, null,
                "PARTIAL", 4L, status.startsWith("ERROR") ? "record shop.public.x/0@7: bad" : null, lag, "RUNNING",
                "RUNNING", null, null, null, null, null, null, null)), s.completed(), s.license());
    }

    private static ProjectStatus withLastApplied(ProjectStatus s, Instant at) {
        ProjectStatus.Completed c = s.completed();
        return copy(s, s.state(), s.connectors(), s.tables(), new ProjectStatus.Completed(c.count(), c.lastIteration(),
                c.upserted(), c.deleted(), c.bytes(), c.totalSeconds(), at), s.license());
    }

    private static ProjectStatus withLicense(ProjectStatus s, String state, long used) {
        return copy(s, s.state(), s.connectors(), s.tables(), s.completed(), new ProjectStatus.License(state, used,
                1_000_000L, 1_000_000L - used, used / 1_000_000.0, "k1", null, "the sink's reason"));
    }

    private static ProjectStatus copy(ProjectStatus s, String state, List<ProjectStatus.Connector> connectors,
                                      List<ProjectStatus.Table> tables, ProjectStatus.Completed completed,
                                      ProjectStatus.License license) {
        return new ProjectStatus(s.project(), state, s.controlProject(), s.controlSchema(), s.desiredState(),
                s.acceptedState(), s.refusal(), connectors, tables, s.load(), s.bulkLoad(), s.currentIteration(), completed,
                license,
                s.iterations(), s.problems(), s.at());
    }
}
