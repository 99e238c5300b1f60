package io.tidemark.control.project;

import java.nio.file.Path;
import java.util.Map;

/**
 * A connector as the project's files describe it: its name and the JSON body of
 * {@code PUT /connectors/{name}/config}, exactly as it goes to Connect (config provider references
 * such as {@code ${file:…}} stay as they are: the worker resolves them).
 */
public record ConnectorFile(String name, Path file, Map<String, String> config) {

    public String connectorClass() {
        return config.get("connector.class");
    }

    /** The class's simple name, as {@code /connector-plugins/{plugin}} accepts it. */
    public String pluginName() {
        String c = connectorClass();
        return c == null ? null : c.substring(c.lastIndexOf('.') + 1);
    }

    /** The name and file only: the config may hold a password as a literal value. */
    @Override
    public String toString() {
        return "ConnectorFile[name=" + name + ", file=" + file + "]";
    }

    public String get(String key, String fallback) {
        String v = config.get(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
