package io.tidemark.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.tidemark.control.status.ProjectStatus;

/**
 * Each alert rule evaluated against the text {@link PrometheusMetrics} serves, in a healthy project
 * and in the one state the rule is for: it fires there and only there. The expressions are
 * evaluated with {@link PromQlSubset}, a small evaluator of the PromQL the rules use.
 */
class AlertRulesTest {

    private static ProjectStatus healthy() {
        List<ProjectStatus.Connector> connectors = List.of(
                new ProjectStatus.Connector("source", "shop-source", "RUNNING", "w1", null,
                        List.of(new ProjectStatus.Task(0, "RUNNING", "w1", null)), "connect-rest"),
                new ProjectStatus.Connector("sink", "shop-sink", "RUNNING", "w1", null,
                        List.of(new ProjectStatus.Task(0, "RUNNING", "w1", null)), "connect-rest"));
        List<ProjectStatus.Table> tables = List.of(
                new ProjectStatus.Table("public.x", "shop_t.x", "RUNNING", "PARTIAL", 4L, null, 12L, "RUNNING", "RUNNING",
                        null, null));
        return new ProjectStatus("shop", "RUNNING", "shop", "tidemark", "RUNNING", "RUNNING", null, connectors, tables,
                null, new ProjectStatus.Completed(5, 4, 100, 3, 5000, 60L, Instant.now().minusSeconds(30)),
                new ProjectStatus.License("OK", 5000, 1_000_000L, 995_000L, 0.005, "k1", null, null), List.of(),
                List.of(), Instant.now());
    }

    private static List<String> firing(UnaryOperator<ProjectStatus> change) throws Exception {
        return AlertRules.firing(PrometheusMetrics.render(List.of(change.apply(healthy()))));
    }

    @Test
    void aHealthyProjectFiresNothingAndServesEveryMetricTheRulesUse() throws Exception {
        String text = PrometheusMetrics.render(List.of(healthy()));
        assertThat(AlertRules.firing(text)).isEmpty();
        assertThat(AlertRules.withoutMetric(text)).isEmpty();
    }

    @Test
    void eachRuleFiresInItsState() throws Exception {
        assertThat(firing(s -> withConnectors(s, "FAILED"))).singleElement().asString().startsWith("TidemarkTaskFailed");
        assertThat(firing(s -> withTable(s, "ERROR_ABORTED", 12L))).singleElement().asString()
                .startsWith("TidemarkTableInError{project=shop, table=public.x}");
        assertThat(firing(s -> withTable(s, "RUNNING", 5_000_000L))).singleElement().asString().startsWith("TidemarkLagHigh");
        assertThat(firing(s -> withLastApplied(s, Instant.now().minusSeconds(7200)))).singleElement().asString()
                .startsWith("TidemarkIterationOverdue");
        assertThat(firing(s -> withLicense(s, "LOW", 950_000))).singleElement().asString().startsWith("TidemarkLicenseLow");
        assertThat(firing(s -> withLicense(s, "EXHAUSTED", 990_000))).containsExactlyInAnyOrder(
                "TidemarkLicenseLow{project=shop}", "TidemarkLicenseExhausted{project=shop}");
    }

    @Test
    void aStoppedProjectIsNotOverdue() throws Exception {
        assertThat(firing(s -> withLastApplied(new ProjectStatus(s.project(), "STOPPED", s.controlProject(),
                s.controlSchema(), "STOPPED", "STOPPED", null, s.connectors(), s.tables(), null, s.completed(), s.license(),
                List.of(), List.of(), s.at()), Instant.now().minusSeconds(7200)))).isEmpty();
    }

    @Test
    void thePrometheusRuleResourceHoldsTheSameRules() throws Exception {
        var resource = new YAMLMapper().readTree(AlertRules.DIR.resolve("tidemark-prometheusrule.yaml").toFile());
        assertThat(resource.path("kind").asText()).isEqualTo("PrometheusRule");
        var plain = new YAMLMapper().readTree(AlertRules.DIR.resolve("tidemark-alerts.yaml").toFile());
        assertThat(resource.path("spec").path("groups")).isEqualTo(plain.path("groups"));
        assertThat(AlertRules.read()).extracting(AlertRules.Rule::alert).containsExactly("TidemarkTaskFailed",
                "TidemarkTableInError", "TidemarkLagHigh", "TidemarkIterationOverdue", "TidemarkLicenseLow",
                "TidemarkLicenseExhausted");
    }

    private static ProjectStatus withConnectors(ProjectStatus s, String taskState) {
        List<ProjectStatus.Connector> cs = new ArrayList<>(s.connectors());
        ProjectStatus.Connector sink = cs.get(1);
        cs.set(1, new ProjectStatus.Connector("sink", sink.name(), "RUNNING", "w1", null,
                List.of(new ProjectStatus.Task(0, taskState, "w1", "java.lang.IllegalStateException: boom")), sink.managedBy()));
        return copy(s, "FAILED", cs, s.tables(), s.completed(), s.license());
    }

    private static ProjectStatus withTable(ProjectStatus s, String status, Long lag) {
        return copy(s, s.state(), s.connectors(), List.of(new ProjectStatus.Table("public.x", "shop_t.x", status, "PARTIAL",
                4L, status.startsWith("ERROR") ? "record shop.public.x/0@7: bad" : null, lag, "RUNNING", "RUNNING", null,
                null)), s.completed(), s.license());
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
                s.acceptedState(), s.refusal(), connectors, tables, s.currentIteration(), completed, license,
                s.iterations(), s.problems(), s.at());
    }
}
