package io.tidemark.sink.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

/**
 * Parses the {@code from:to} lists of the rename and override keys
 * ({@code HR.EMPLOYEES:staff,HR.DEPT:departments}) into an ordered map.
 */
public final class MapEntries {

    private MapEntries() {
    }

    /**
     * @throws ConfigException naming the key and the entry when an entry has no ':' or an empty
     *                         side, or when a source appears twice
     */
    public static Map<String, String> parse(String key, List<String> entries) {
        Map<String, String> result = new LinkedHashMap<>();
        if (entries == null) {
            return result;
        }
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new ConfigException(key, raw, "each entry must be 'source:target', e.g. HR.EMPLOYEES:staff");
            }
            String from = entry.substring(0, colon).trim();
            String to = entry.substring(colon + 1).trim();
            if (from.isEmpty() || to.isEmpty()) {
                throw new ConfigException(key, raw, "each entry must be 'source:target', e.g. HR.EMPLOYEES:staff");
            }
            if (result.put(from, to) != null) {
                throw new ConfigException(key, raw, "'" + from + "' appears more than once");
            }
        }
        return result;
    }
}
