package io.tidemark.source.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class IterationConfigTest {

    private static Map<String, String> props(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put(IterationConfig.SCHEMA, "tidemark");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private static List<String> errors(Map<String, String> props, String key) {
        return IterationConfig.configDef().validate(props).stream()
                .filter(v -> v.name().equals(key)).findFirst().map(ConfigValue::errorMessages).orElseThrow();
    }

    @Test
    void defaultsNameTheMarkerObjectsAndCutEveryFiveMinutes() {
        IterationConfig config = new IterationConfig(props());
        assertThat(config.intervalMs()).isEqualTo(300_000L);
        assertThat(config.table()).isEqualTo("tidemark_iteration");
        assertThat(config.sequence()).isEqualTo("tidemark_iteration_seq");
        assertThat(config.requestTable()).isEqualTo("tidemark_iteration_request");
        assertThat(config.requestPollIntervalMs()).isEqualTo(1_000L);
    }

    @Test
    void intervalIsZeroForOnDemandOnlyOrAtLeastOneSecond() {
        assertThat(errors(props(IterationConfig.INTERVAL_MS, "0"), IterationConfig.INTERVAL_MS)).isEmpty();
        assertThat(errors(props(IterationConfig.INTERVAL_MS, "1000"), IterationConfig.INTERVAL_MS)).isEmpty();
        assertThat(errors(props(IterationConfig.INTERVAL_MS, "999"), IterationConfig.INTERVAL_MS))
                .singleElement().asString().contains("at least 1000");
        assertThat(errors(props(IterationConfig.INTERVAL_MS, "soon"), IterationConfig.INTERVAL_MS)).isNotEmpty();
    }

    @Test
    void schemaIsRequiredAndNamesMustBePlainIdentifiers() {
        Map<String, String> withoutSchema = props();
        withoutSchema.remove(IterationConfig.SCHEMA);
        assertThat(errors(withoutSchema, IterationConfig.SCHEMA)).singleElement().asString().contains("no default value");
        assertThat(errors(props(IterationConfig.SCHEMA, "C##DBZUSER"), IterationConfig.SCHEMA)).isEmpty();
        assertThat(errors(props(IterationConfig.TABLE, "marker; drop table x"), IterationConfig.TABLE))
                .singleElement().asString().contains("unquoted SQL identifier");
        assertThat(errors(props(IterationConfig.REQUEST_TABLE, "1st"), IterationConfig.REQUEST_TABLE)).isNotEmpty();
        assertThatThrownBy(() -> new IterationConfig(props(IterationConfig.SEQUENCE, "a.b")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(IterationConfig.SEQUENCE);
    }

    @Test
    void aBulkInitialLoadNeedsDebeziumWithoutItsSnapshot() {
        assertThat(new IterationConfig(props()).bulkInitialLoad()).isFalse();
        assertThat(new IterationConfig(props(IterationConfig.INITIAL_LOAD, "bulk")).bulkInitialLoad()).isTrue();
        assertThat(errors(props(IterationConfig.INITIAL_LOAD, "fast"), IterationConfig.INITIAL_LOAD))
                .singleElement().asString().contains("snapshot, bulk");

        assertThat(IterationConfig.initialLoadProblem(props())).isNull();
        assertThat(IterationConfig.initialLoadProblem(props(IterationConfig.INITIAL_LOAD, "bulk", "snapshot.mode",
                "no_data"))).isNull();
        assertThat(IterationConfig.initialLoadProblem(props(IterationConfig.INITIAL_LOAD, "bulk")))
                .contains("needs snapshot.mode=no_data").endsWith("not initial");
        assertThat(IterationConfig.initialLoadProblem(props(IterationConfig.INITIAL_LOAD, "bulk", "snapshot.mode",
                "when_needed"))).endsWith("not when_needed");
    }

    @Test
    void theBulkLoadsWorkersHaveBounds() {
        assertThat(new IterationConfig(props()).getInt(IterationConfig.INITIAL_LOAD_WORKERS)).isEqualTo(4);
        assertThat(new IterationConfig(props(IterationConfig.INITIAL_LOAD_WORKERS, "12"))
                .getInt(IterationConfig.INITIAL_LOAD_WORKERS)).isEqualTo(12);
        for (String bad : new String[] {"0", "65", "-1", "many"}) {
            assertThat(errors(props(IterationConfig.INITIAL_LOAD_WORKERS, bad), IterationConfig.INITIAL_LOAD_WORKERS))
                    .as(bad).isNotEmpty();
        }
    }

    @Test
    void requestPollIntervalHasBounds() {
        assertThat(errors(props(IterationConfig.REQUEST_POLL_INTERVAL_MS, "50"), IterationConfig.REQUEST_POLL_INTERVAL_MS)).isNotEmpty();
        assertThat(errors(props(IterationConfig.REQUEST_POLL_INTERVAL_MS, "100"), IterationConfig.REQUEST_POLL_INTERVAL_MS)).isEmpty();
    }

    @Test
    void adminClientTakesPrefixedKeysAndFallsBackToTheSchemaHistoryCluster() {
        Map<String, String> props = props(IterationConfig.SCHEMA_HISTORY_BOOTSTRAP_SERVERS, "history:9092",
                "iteration.admin.security.protocol", "SSL");
        assertThat(IterationConfig.adminProperties(props))
                .containsEntry("bootstrap.servers", "history:9092").containsEntry("security.protocol", "SSL");
        assertThat(IterationConfig.adminProblem(props)).isNull();

        props.put(IterationConfig.ADMIN_BOOTSTRAP_SERVERS, "kafka:9092");
        assertThat(IterationConfig.adminProperties(props)).containsEntry("bootstrap.servers", "kafka:9092");

        Map<String, String> neither = props();
        assertThat(IterationConfig.adminProperties(neither)).doesNotContainKey("bootstrap.servers");
        assertThat(IterationConfig.adminProblem(neither)).contains("must be set");
    }
}
