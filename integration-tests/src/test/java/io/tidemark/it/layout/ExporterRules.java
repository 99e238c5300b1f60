package io.tidemark.it.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The Prometheus JMX exporter's rule matching, as its documentation and JmxCollector define it, for
 * the rules Strimzi hands the exporter (no exporter jar is on Maven Central's list here): a bean
 * attribute is the text {@code domain<key1=value1, key2=value2><>attribute: value}, with the keys in
 * the order of the ObjectName; the first rule whose pattern, wrapped as {@code ^.*(?:pattern).*$},
 * matches it names the sample, {@code $n} replaced by the groups, then made a valid metric name
 * (characters other than letters, digits, ':' and '_' become '_', runs of '_' one) and lower-cased
 * when {@code lowercaseOutputName} is set.
 */
final class ExporterRules {

    record Rule(Pattern pattern, String name, Map<String, String> labels) {
    }

    record Sample(String name, Map<String, String> labels) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ExporterRules() {
    }

    /** The rules of the exporter configuration in the ConfigMap file (data."metrics-config.yml"). */
    static List<Rule> read(Path configMap) {
        try {
            JsonNode config = YAML.readTree(YAML.readTree(configMap.toFile()).at("/data/metrics-config.yml").asText());
            if (!config.path("lowercaseOutputName").asBoolean()) {
                throw new IllegalStateException(configMap + ": the checks assume lowercaseOutputName: true");
            }
            List<Rule> rules = new ArrayList<>();
            for (JsonNode rule : config.path("rules")) {
                Map<String, String> labels = new LinkedHashMap<>();
                rule.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                rules.add(new Rule(Pattern.compile("^.*(?:" + rule.path("pattern").asText() + ").*$"),
                        rule.path("name").asText(), labels));
            }
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample the first matching rule makes of one attribute, or null if no rule matches it. */
    static Sample sample(List<Rule> rules, ObjectName bean, String attribute, Object value) {
        StringBuilder text = new StringBuilder(bean.getDomain()).append('<');
        for (Iterator<String> keys = keyOrder(bean).iterator(); keys.hasNext(); ) {
            String key = keys.next();
            text.append(key).append('=').append(bean.getKeyProperty(key)).append(keys.hasNext() ? ", " : "");
        }
        text.append("><>").append(attribute).append(": ").append(value);
        for (Rule rule : rules) {
            Matcher m = rule.pattern().matcher(text);
            if (m.matches()) {
                Map<String, String> labels = new LinkedHashMap<>();
                rule.labels().forEach((k, v) -> labels.put(k, m.replaceFirst(v)));
                return new Sample(safe(m.replaceFirst(rule.name())).toLowerCase(java.util.Locale.ROOT), labels);
            }
        }
        return null;
    }

    /** The ObjectName's keys in the order it was written with (the exporter keeps that order). */
    private static List<String> keyOrder(ObjectName bean) {
        List<String> keys = new ArrayList<>();
        for (String property : bean.getKeyPropertyListString().split(",")) {
            keys.add(property.substring(0, property.indexOf('=')));
        }
        return keys;
    }

    private static String safe(String name) {
        return name.replaceAll("[^a-zA-Z0-9:_]", "_").replaceAll("__+", "_");
    }
}
