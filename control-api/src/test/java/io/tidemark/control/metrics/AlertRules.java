package io.tidemark.control.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The alert rules of {@code control-api/alerts}, read as Prometheus reads them. */
public final class AlertRules {

    public record Rule(String alert, String expr) {
    }

    public static final Path DIR = Path.of(System.getProperty("basedir", ".")).resolve("alerts");

    private AlertRules() {
    }

    public static List<Rule> read() throws IOException {
        return rules(new YAMLMapper().readTree(DIR.resolve("tidemark-alerts.yaml").toFile()).path("groups"));
    }

    static List<Rule> rules(JsonNode groups) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode g : groups) {
            for (JsonNode r : g.path("rules")) {
                rules.add(new Rule(r.path("alert").asText(), r.path("expr").asText()));
            }
        }
        return rules;
    }

    /** The alerts that fire on these metrics (the rules' {@code for} aside). */
    public static List<String> firing(String metricsText) throws IOException {
        List<PromQlSubset.Series> samples = PromQlSubset.parse(metricsText);
        List<String> firing = new ArrayList<>();
        for (Rule r : read()) {
            PromQlSubset.evaluate(r.expr(), samples).forEach(s -> firing.add(r.alert() + s.labels()));
        }
        return firing;
    }

    /** The rules whose metric the text does not have at all. */
    public static List<String> withoutMetric(String metricsText) throws IOException {
        List<PromQlSubset.Series> samples = PromQlSubset.parse(metricsText);
        List<String> missing = new ArrayList<>();
        for (Rule r : read()) {
            String name = PromQlSubset.metricName(r.expr());
            if (samples.stream().noneMatch(s -> s.name().equals(name))) {
                missing.add(r.alert() + " (" + name + ")");
            }
        }
        return missing;
    }
}
