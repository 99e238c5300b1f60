package io.tidemark.sink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.naming.NameCase;

class PostgresSinkConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", "jdbc:postgresql://db:5432/target");
        return props;
    }

    @Test
    void defaultsAreSensible() {
        PostgresSinkConfig config = new PostgresSinkConfig(minimal());
        assertThat(config.controlSchema()).isEqualTo("tidemark");
        assertThat(config.nameCase()).isEqualTo(NameCase.LOWER);
        assertThat(config.defaultErrorPolicy()).isEqualTo(ErrorPolicy.FAIL);
        assertThat(config.projectName("my-connector")).isEqualTo("my-connector");
        assertThat(config.autoCreate()).isTrue();
        assertThat(config.sourceType()).isEqualTo("oracle");
        assertThat(config.unavailableValuePlaceholder()).isEqualTo("__debezium_unavailable_value");
    }

    @Test
    void everyKeyIsDocumented() {
        for (ConfigDef.ConfigKey key : PostgresSinkConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
        }
    }

    @Test
    void badValuesAreRefusedPerKey() {
        Map<String, String> props = minimal();
        props.put("connection.url", "jdbc:oracle:thin:@db");
        assertThatThrownBy(() -> new PostgresSinkConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("connection.url").hasMessageContaining("PostgreSQL JDBC URL");
        Map<String, String> policy = minimal();
        policy.put("table.error.policy", "retry");
        assertThatThrownBy(() -> new PostgresSinkConfig(policy)).hasMessageContaining("must be one of fail, skip, flag");
        Map<String, String> size = minimal();
        size.put("batch.size", "0");
        assertThatThrownBy(() -> new PostgresSinkConfig(size)).hasMessageContaining("batch.size");
        Map<String, String> bytes = minimal();
        bytes.put("batch.max.bytes", Long.toString(1L << 30)); // the COPY buffer must stay far below 2 GiB
        assertThatThrownBy(() -> new PostgresSinkConfig(bytes)).hasMessageContaining("batch.max.bytes");
        Map<String, String> map = minimal();
        map.put("table.rename", "HR.EMP");
        assertThatThrownBy(() -> new PostgresSinkConfig(map)).hasMessageContaining("'source:target'");
        Map<String, String> schema = minimal();
        schema.put("control.schema", "x".repeat(64));
        assertThatThrownBy(() -> new PostgresSinkConfig(schema)).hasMessageContaining("at most 63");
    }

    @Test
    void overridesAndRenamesParse() {
        Map<String, String> props = minimal();
        props.put("table.error.policy.overrides", "HR.AUDIT:flag, HR.LOG:SKIP");
        props.put("table.rename", "HR.EMP:staff");
        PostgresSinkConfig config = new PostgresSinkConfig(props);
        assertThat(config.errorPolicyOverrides()).containsEntry("HR.AUDIT", ErrorPolicy.FLAG).containsEntry("HR.LOG", ErrorPolicy.SKIP);
        assertThat(config.tableRenames()).containsEntry("HR.EMP", "staff");
        assertThat(MapEntries.parse("k", List.of("A:b", "C:d"))).containsExactly(Map.entry("A", "b"), Map.entry("C", "d"));
        assertThatThrownBy(() -> MapEntries.parse("k", List.of("A:b", "A:c"))).hasMessageContaining("more than once");
    }

    @Test
    void passwordIsHidden() {
        Map<String, String> props = minimal();
        props.put("connection.password", "s3cret");
        PostgresSinkConfig config = new PostgresSinkConfig(props);
        assertThat(config.connectionPassword()).isEqualTo("s3cret");
        assertThat(config.values().get("connection.password").toString()).doesNotContain("s3cret");
    }
}
