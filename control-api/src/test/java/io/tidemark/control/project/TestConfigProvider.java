package io.tidemark.control.project;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * A config provider of the kind a platform team adds (a vault, a cloud secret store), here answering
 * from its params: {@code ${vault:path:key}} is {@code params[path + "." + key]}. It stands for a
 * provider that cannot run here, and proves the descriptor loads any provider class on the class path.
 */
public final class TestConfigProvider implements ConfigProvider {

    private final Map<String, String> values = new HashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
        configs.forEach((k, v) -> values.put(k, String.valueOf(v)));
    }

    @Override
    public ConfigData get(String path) {
        return new ConfigData(Map.of());
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> data = new HashMap<>();
        for (String key : keys) {
            String v = values.get(path + "." + key);
            if (v != null) {
                data.put(key, v);
            }
        }
        return new ConfigData(data);
    }

    @Override
    public void close() {
    }
}
