package io.tidemark.control.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of PromQL Tidemark's alert rules use, evaluated against Prometheus text: one instant
 * vector selector with label matchers ({@code =}, {@code !=}, {@code =~}, {@code !~}) compared with a
 * number ({@code > < >= <= == !=}). It returns the series that would fire. A rule outside this
 * subset fails the parse, so the rules cannot grow beyond what the test checks.
 */
final class PromQlSubset {

    record Series(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern EXPR = Pattern.compile(
            "\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s*(>=|<=|==|!=|>|<)\\s*(-?[0-9.eE+]+)\\s*");
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"\\s*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PromQlSubset() {
    }

    static List<Series> parse(String text) {
        List<Series> series = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                }
            }
            series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return series;
    }

    /** The series the expression selects whose value passes the comparison. */
    static List<Series> evaluate(String expr, List<Series> samples) {
        Matcher m = EXPR.matcher(expr);
        if (!m.matches()) {
            throw new IllegalArgumentException("outside the PromQL subset the test evaluates: " + expr);
        }
        List<String[]> matchers = new ArrayList<>();
        if (m.group(2) != null) {
            String inner = m.group(2).substring(1, m.group(2).length() - 1);
            for (String part : inner.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                Matcher mm = MATCHER.matcher(part);
                if (!mm.matches()) {
                    throw new IllegalArgumentException("label matcher outside the subset: " + part);
                }
                matchers.add(new String[] {mm.group(1), mm.group(2), mm.group(3)});
            }
        }
        String op = m.group(3);
        double threshold = Double.parseDouble(m.group(4));
        List<Series> result = new ArrayList<>();
        for (Series s : samples) {
            if (!s.name().equals(m.group(1)) || !matches(s, matchers)) {
                continue;
            }
            boolean pass = switch (op) {
                case ">" -> s.value() > threshold;
                case "<" -> s.value() < threshold;
                case ">=" -> s.value() >= threshold;
                case "<=" -> s.value() <= threshold;
                case "==" -> s.value() == threshold;
                default -> s.value() != threshold;
            };
            if (pass) {
                result.add(s);
            }
        }
        return result;
    }

    /** Whether any sample has the expression's metric name: a rule about a metric the API does not serve never fires. */
    static String metricName(String expr) {
        Matcher m = EXPR.matcher(expr);
        if (!m.matches()) {
            throw new IllegalArgumentException("outside the PromQL subset the test evaluates: " + expr);
        }
        return m.group(1);
    }

    private static boolean matches(Series s, List<String[]> matchers) {
        for (String[] mt : matchers) {
            String v = s.labels().getOrDefault(mt[0], "");
            boolean ok = switch (mt[1]) {
                case "=" -> v.equals(mt[2]);
                case "!=" -> !v.equals(mt[2]);
                case "=~" -> v.matches(mt[2]);
                default -> !v.matches(mt[2]);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
