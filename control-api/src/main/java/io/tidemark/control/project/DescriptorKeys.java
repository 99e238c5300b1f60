package io.tidemark.control.project;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The keys a project descriptor may have, as the HTTP bodies are checked: an unknown key (a typo,
 * {@code waitSecond}) is refused with its name rather than silently ignored. The shipped JSON Schema
 * ({@code project.schema.json}) says the same; a test holds them together.
 */
public final class DescriptorKeys {

    /** Each object of the descriptor and its keys; {@code kafka} and a provider's {@code params} take any key. */
    public static final Map<String, Set<String>> OBJECTS = objects();

    private DescriptorKeys() {
    }

    private static Map<String, Set<String>> objects() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("", Set.of("$schema", "name", "connect", "source", "sink", "sourceDatabase", "targetDatabase", "kafka",
                "strimzi", "waitSeconds", "configProviders"));
        m.put("connect", Set.of("urls", "username", "password", "caFile", "timeoutSeconds"));
        m.put("source", Set.of("name", "config"));
        m.put("sink", Set.of("name", "config"));
        m.put("sourceDatabase", Set.of("url", "user", "password"));
        m.put("targetDatabase", Set.of("url", "user", "password"));
        m.put("strimzi", Set.of("namespace", "kubeconfig", "context"));
        m.put("configProviders.*", Set.of("class", "params"));
        return m;
    }

    /** @throws ProjectException naming the first unknown key and the keys allowed there */
    public static void check(JsonNode descriptor, String where) {
        List<String> problems = new ArrayList<>();
        check(descriptor, "", OBJECTS.get(""), problems);
        for (Map.Entry<String, Set<String>> e : OBJECTS.entrySet()) {
            if (e.getKey().isEmpty()) {
                continue;
            }
            if (e.getKey().endsWith(".*")) {
                String parent = e.getKey().substring(0, e.getKey().length() - 2);
                JsonNode p = descriptor.path(parent);
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> child = it.next();
                    check(child.getValue(), parent + "." + child.getKey(), e.getValue(), problems);
                }
            } else {
                check(descriptor.path(e.getKey()), e.getKey(), e.getValue(), problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new ProjectException(where + ": " + problems.get(0));
        }
    }

    private static void check(JsonNode node, String path, Set<String> allowed, List<String> problems) {
        if (!node.isObject()) {
            if (!node.isMissingNode() && !node.isNull()) {
                problems.add((path.isEmpty() ? "the descriptor" : path) + " must be a JSON object");
            }
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                problems.add("unknown key '" + (path.isEmpty() ? key : path + "." + key) + "' (allowed"
                        + (path.isEmpty() ? "" : " in " + path) + ": " + String.join(", ",
                        allowed.stream().sorted().toList()) + "; docs/control-api.md, \"A project\")");
            }
        }
    }
}
