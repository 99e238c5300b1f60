package io.tidemark.sink.config;

import java.util.List;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Renders the configuration reference of {@code docs/sink.md} from {@link PostgresSinkConfig}, so
 * the documentation cannot drift from the code: {@code ConfigDocsTest} compares them, and rewrites
 * the section when run with {@code -Dupdate.docs}.
 */
public final class ConfigDocs {

    public static final String BEGIN = "<!-- BEGIN GENERATED CONFIG: regenerate with "
            + "mvn -pl connector-sink -am test -Dtest=ConfigDocsTest -Dsurefire.failIfNoSpecifiedTests=false -Dupdate.docs -->";
    public static final String END = "<!-- END GENERATED CONFIG -->";

    private ConfigDocs() {
    }

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        String group = null;
        List<ConfigDef.ConfigKey> keys = PostgresSinkConfig.CONFIG_DEF.configKeys().values().stream().toList();
        for (ConfigDef.ConfigKey key : keys) {
            if (!key.group.equals(group)) {
                group = key.group;
                sb.append("\n#### ").append(group).append("\n\n")
                        .append("| key | type | default | valid values | description |\n")
                        .append("|---|---|---|---|---|\n");
            }
            sb.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase())
                    .append(" | ").append(defaultValue(key))
                    .append(" | ").append(key.validator == null ? "" : escape(key.validator.toString()))
                    .append(" | ").append(escape(key.documentation)).append(" |\n");
        }
        if (!PostgresSinkConfig.RETIRED_KEYS.isEmpty()) {
            sb.append("\n#### No longer read\n\n| key | |\n|---|---|\n");
            new java.util.TreeMap<>(PostgresSinkConfig.RETIRED_KEYS).forEach((key, why) ->
                    sb.append("| `").append(key).append("` | ").append(escape(why)).append(" |\n"));
        }
        return sb.toString();
    }

    private static String defaultValue(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value == null || value instanceof Password) {
            return "";
        }
        String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        return text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
