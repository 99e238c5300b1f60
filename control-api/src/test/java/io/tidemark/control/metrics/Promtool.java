package io.tidemark.control.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Prometheus' own rule tester, {@code promtool test rules}, on the shipped alert rules: each scenario
 * is the text {@code GET /metrics} serves (turned into promtool's input series, constant over the
 * test's hour) and the alerts expected at its evaluation time, every rule listed, so that a rule
 * that fires where it should not fails too. Needs Debian's {@code prometheus} package (.ci/run
 * installs it); without promtool the test fails, it does not skip.
 */
public final class Promtool {

    public static final Path RULES = Path.of(System.getProperty("basedir", ".")).resolve("alerts/tidemark-alerts.yaml");
    static final String API_JOB = "tidemark-control-api";
    private static final Pattern LABEL = Pattern.compile("\\{\\{ \\$labels\\.([a-z_]+) }}");
    private static final YAMLMapper YAML = new YAMLMapper();

    /** An alert expected to fire, with the labels of its series (the rule's own labels are added). */
    public record Expected(String alert, Map<String, String> labels) {
    }

    /**
     * @param metrics  what the API served
     * @param apiUp    the {@code up} series of the API's scrape job: true, false, or null for no target at all
     * @param evalAt   when the alerts are evaluated (the series start at 0, promtool's clock)
     * @param servedAt for metrics served at a real time: their timestamps are moved so that this instant
     *                 is {@code evalAt} on promtool's clock; null when they are on that clock already
     */
    public record Scenario(String name, String metrics, Boolean apiUp, Duration evalAt, List<Expected> expected,
                           java.time.Instant servedAt) {

        public Scenario(String name, String metrics, Boolean apiUp, Duration evalAt, List<Expected> expected) {
            this(name, metrics, apiUp, evalAt, expected, null);
        }
    }

    public record Result(int exitCode, String output, Path testFile) {
    }

    private Promtool() {
    }

    public static Result run(List<Scenario> scenarios, Path dir) throws IOException, InterruptedException {
        JsonNode rules = rules();
        List<Map<String, Object>> tests = new ArrayList<>();
        for (Scenario s : scenarios) {
            long minutes = s.evalAt().toMinutes() + 1;
            List<Map<String, Object>> series = new ArrayList<>();
            for (String line : s.metrics().split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                String name = line.substring(0, space);
                String value = line.substring(space + 1);
                if (s.servedAt() != null && name.contains("_timestamp_seconds")) {
                    value = Double.toString(Double.parseDouble(value) - s.servedAt().getEpochSecond()
                            + s.evalAt().toSeconds());
                }
                series.add(Map.of("series", name, "values", value + "+0x" + minutes));
            }
            if (s.apiUp() != null) {
                series.add(Map.of("series", "up{job=\"" + API_JOB + "\",instance=\"tidemark-api:8088\"}",
                        "values", (s.apiUp() ? "1" : "0") + "+0x" + minutes));
            }
            List<Map<String, Object>> checks = new ArrayList<>();
            for (JsonNode rule : rules) {
                String alert = rule.path("alert").asText();
                List<Map<String, Object>> expected = new ArrayList<>();
                for (Expected e : s.expected()) {
                    if (e.alert().equals(alert)) {
                        Map<String, String> labels = new LinkedHashMap<>(e.labels());
                        rule.path("labels").fields().forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
                        Map<String, String> annotations = new LinkedHashMap<>();
                        rule.path("annotations").fields().forEachRemaining(a -> annotations.put(a.getKey(),
                                render(a.getValue().asText(), labels)));
                        expected.add(Map.of("exp_labels", labels, "exp_annotations", annotations));
                    }
                }
                checks.add(Map.of("alertname", alert, "eval_time", s.evalAt().toMinutes() + "m", "exp_alerts", expected));
            }
            tests.add(Map.of("name", s.name(), "interval", "1m", "input_series", series, "alert_rule_test", checks));
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("tidemark-alerts.test.yaml");
        YAML.writeValue(file.toFile(), Map.of("rule_files", List.of(RULES.toAbsolutePath().toString()),
                "evaluation_interval", "1m", "tests", tests));
        Process p;
        try {
            p = new ProcessBuilder("promtool", "test", "rules", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("promtool is not installed: apt-get install prometheus (.ci/run installs "
                    + "it); the alert rules are tested with it", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool test rules did not finish within 120 s");
        }
        return new Result(p.exitValue(), output, file);
    }

    public static JsonNode rules() throws IOException {
        return YAML.readTree(RULES.toFile()).path("groups").get(0).path("rules");
    }

    private static String render(String template, Map<String, String> labels) {
        Matcher m = LABEL.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(labels.getOrDefault(m.group(1), "")));
        }
        m.appendTail(out);
        return out.toString();
    }
}
