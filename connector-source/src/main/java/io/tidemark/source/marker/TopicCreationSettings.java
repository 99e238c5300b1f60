package io.tidemark.source.marker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * The connector's {@code topic.creation.*} settings (KIP-158), read the way Kafka Connect reads
 * them, so that a table topic the marker creates looks like one the worker would have created for
 * Debezium: the first group in {@code topic.creation.groups} whose {@code include} matches and
 * {@code exclude} does not, else {@code default}. Without settings the broker's defaults apply.
 */
public final class TopicCreationSettings {

    private static final String PREFIX = "topic.creation.";
    private static final String DEFAULT_GROUP = "default";

    private final List<Group> groups;
    private final Group defaults;

    private record Group(String name, List<Pattern> include, List<Pattern> exclude,
                         Optional<Integer> partitions, Optional<Short> replicationFactor, Map<String, String> configs) {

        boolean matches(String topic) {
            return include.stream().anyMatch(p -> p.matcher(topic).matches())
                    && exclude.stream().noneMatch(p -> p.matcher(topic).matches());
        }
    }

    private TopicCreationSettings(List<Group> groups, Group defaults) {
        this.groups = groups;
        this.defaults = defaults;
    }

    public static TopicCreationSettings from(Map<String, String> connectorProps) {
        Group defaults = group(connectorProps, DEFAULT_GROUP, Optional.empty(), Optional.empty());
        List<Group> groups = new ArrayList<>();
        for (String name : list(connectorProps.get(PREFIX + "groups"))) {
            if (!name.equals(DEFAULT_GROUP)) {
                groups.add(group(connectorProps, name, defaults.partitions(), defaults.replicationFactor()));
            }
        }
        return new TopicCreationSettings(groups, defaults);
    }

    private static Group group(Map<String, String> props, String name, Optional<Integer> inheritedPartitions,
                               Optional<Short> inheritedReplication) {
        String prefix = PREFIX + name + ".";
        Map<String, String> configs = new HashMap<>();
        props.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                configs.put(key.substring(prefix.length()), value);
            }
        });
        List<Pattern> include = list(configs.remove("include")).stream().map(Pattern::compile).toList();
        List<Pattern> exclude = list(configs.remove("exclude")).stream().map(Pattern::compile).toList();
        Optional<Integer> partitions = positive(configs.remove("partitions")).or(() -> inheritedPartitions);
        Optional<Short> replication = positive(configs.remove("replication.factor")).map(Integer::shortValue)
                .or(() -> inheritedReplication);
        return new Group(name, include, exclude, partitions, replication, configs);
    }

    // -1 means "the broker's default", as in Connect.
    private static Optional<Integer> positive(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        int n = Integer.parseInt(value.trim());
        return n > 0 ? Optional.of(n) : Optional.empty();
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    /** The topic as the worker would create it. */
    public NewTopic newTopic(String topic) {
        Group group = groups.stream().filter(g -> g.matches(topic)).findFirst().orElse(defaults);
        return new NewTopic(topic, group.partitions(), group.replicationFactor()).configs(group.configs());
    }
}
