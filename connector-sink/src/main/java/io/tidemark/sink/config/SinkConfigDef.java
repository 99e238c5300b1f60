package io.tidemark.sink.config;

import static io.tidemark.sink.config.PostgresSinkConfig.*;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import io.tidemark.sink.naming.NameCase;

/**
 * How each key of {@link PostgresSinkConfig} is defined for Connect (type, default, validator,
 * group and order in the validate response), and the validators. Apart from the keys themselves so
 * that neither class grows past a screenful of concerns.
 */
final class SinkConfigDef {

    private SinkConfigDef() {
    }

    static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(CONNECTION_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new JdbcUrlValidator(), Importance.HIGH,
                CONNECTION_URL_DOC, GROUP_CONNECTION, ++order, Width.LONG, "JDBC URL");
        def.define(CONNECTION_USER, Type.STRING, null, Importance.HIGH, CONNECTION_USER_DOC,
                GROUP_CONNECTION, ++order, Width.MEDIUM, "User");
        def.define(CONNECTION_PASSWORD, Type.PASSWORD, null, Importance.HIGH, CONNECTION_PASSWORD_DOC,
                GROUP_CONNECTION, ++order, Width.MEDIUM, "Password");

        def.define(CONNECTION_TIMEOUT_MS, Type.LONG, 10_000L, ConfigDef.Range.between(1_000, 3_600_000),
                Importance.LOW, CONNECTION_TIMEOUT_MS_DOC, GROUP_CONNECTION, ++order, Width.SHORT, "Connect timeout (ms)");
        def.define(CONNECTION_STATEMENT_TIMEOUT_MS, Type.LONG, 300_000L, ConfigDef.Range.between(1_000, 86_400_000),
                Importance.LOW, CONNECTION_STATEMENT_TIMEOUT_MS_DOC, GROUP_CONNECTION, ++order, Width.SHORT,
                "Statement timeout (ms)");
        def.define(CONNECTION_LOCK_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.between(100, 86_400_000),
                Importance.LOW, CONNECTION_LOCK_TIMEOUT_MS_DOC, GROUP_CONNECTION, ++order, Width.SHORT,
                "Lock timeout (ms)");
        def.define(CONNECTION_SOCKET_TIMEOUT_MS, Type.LONG, 330_000L, ConfigDef.Range.between(1_000, 86_400_000),
                Importance.LOW, CONNECTION_SOCKET_TIMEOUT_MS_DOC, GROUP_CONNECTION, ++order, Width.SHORT,
                "Socket timeout (ms)");

        order = 0;
        def.define(PROJECT_NAME, Type.STRING, null, Importance.MEDIUM, PROJECT_NAME_DOC,
                GROUP_CONTROL, ++order, Width.MEDIUM, "Project");
        def.define(CONTROL_SCHEMA, Type.STRING, CONTROL_SCHEMA_DEFAULT, new IdentifierValidator(false), Importance.MEDIUM,
                CONTROL_SCHEMA_DOC, GROUP_CONTROL, ++order, Width.MEDIUM, "Control schema");

        order = 0;
        def.define(TARGET_SCHEMA, Type.STRING, "", new IdentifierValidator(true), Importance.MEDIUM, TARGET_SCHEMA_DOC,
                GROUP_TARGET, ++order, Width.MEDIUM, "Target schema");
        def.define(NAME_CASE, Type.STRING, "lower", new EnumValidator(NameCase.class), Importance.LOW, NAME_CASE_DOC,
                GROUP_TARGET, ++order, Width.SHORT, "Name case", new EnumRecommender(NameCase.class));
        def.define(SCHEMA_RENAME, Type.LIST, "", new MapValidator(), Importance.MEDIUM, SCHEMA_RENAME_DOC,
                GROUP_TARGET, ++order, Width.LONG, "Schema renames");
        def.define(TABLE_RENAME, Type.LIST, "", new MapValidator(), Importance.MEDIUM, TABLE_RENAME_DOC,
                GROUP_TARGET, ++order, Width.LONG, "Table renames");
        def.define(COLUMN_RENAME, Type.LIST, "", new MapValidator(), Importance.MEDIUM, COLUMN_RENAME_DOC,
                GROUP_TARGET, ++order, Width.LONG, "Column renames");
        def.define(TABLE_AUTO_CREATE, Type.BOOLEAN, true, Importance.MEDIUM, TABLE_AUTO_CREATE_DOC,
                GROUP_TARGET, ++order, Width.SHORT, "Create tables");
        def.define(TABLE_AUTO_EVOLVE, Type.BOOLEAN, true, Importance.MEDIUM, TABLE_AUTO_EVOLVE_DOC,
                GROUP_TARGET, ++order, Width.SHORT, "Add columns");

        order = 0;
        def.define(BATCH_SIZE, Type.INT, 20_000, ConfigDef.Range.between(1, 5_000_000), Importance.MEDIUM,
                BATCH_SIZE_DOC, GROUP_BATCH, ++order, Width.SHORT, "Batch size");
        def.define(BATCH_MAX_BYTES, Type.LONG, 64L << 20, ConfigDef.Range.between(1L << 20, 256L << 20),
                Importance.LOW, BATCH_MAX_BYTES_DOC, GROUP_BATCH, ++order, Width.SHORT, "Batch bytes");
        def.define(BATCH_MAX_WAIT_MS, Type.LONG, 1_000L, ConfigDef.Range.between(0, 3_600_000), Importance.LOW,
                BATCH_MAX_WAIT_MS_DOC, GROUP_BATCH, ++order, Width.SHORT, "Batch wait (ms)");

        order = 0;
        def.define(TABLE_ERROR_POLICY, Type.STRING, "fail", new EnumValidator(ErrorPolicy.class), Importance.HIGH,
                TABLE_ERROR_POLICY_DOC, GROUP_ERRORS, ++order, Width.SHORT, "Error policy",
                new EnumRecommender(ErrorPolicy.class));
        def.define(TABLE_ERROR_POLICY_OVERRIDES, Type.LIST, "", new MapValidator(ErrorPolicy.class), Importance.MEDIUM,
                TABLE_ERROR_POLICY_OVERRIDES_DOC, GROUP_ERRORS, ++order, Width.LONG, "Per-table error policies");
        def.define(RETRY_MAX_DURATION_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                RETRY_MAX_DURATION_MS_DOC, GROUP_ERRORS, ++order, Width.SHORT, "Retry for (ms)");
        def.define(RETRY_BACKOFF_MS, Type.LONG, 500L, ConfigDef.Range.atLeast(1), Importance.LOW,
                RETRY_BACKOFF_MS_DOC, GROUP_ERRORS, ++order, Width.SHORT, "First backoff (ms)");
        def.define(RETRY_BACKOFF_MAX_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                RETRY_BACKOFF_MAX_MS_DOC, GROUP_ERRORS, ++order, Width.SHORT, "Longest backoff (ms)");

        order = 0;
        def.define(CONSISTENCY_MODE, Type.STRING, "partial", new EnumValidator(ConsistencyMode.class), Importance.HIGH,
                CONSISTENCY_MODE_DOC, GROUP_CONSISTENCY, ++order, Width.SHORT, "Consistency mode",
                new EnumRecommender(ConsistencyMode.class));
        def.define(CONSISTENCY_MODE_OVERRIDES, Type.LIST, "", new MapValidator(ConsistencyMode.class),
                Importance.MEDIUM, CONSISTENCY_MODE_OVERRIDES_DOC, GROUP_CONSISTENCY, ++order, Width.LONG,
                "Per-table consistency modes");
        def.define(LIFECYCLE_POLL_INTERVAL_MS, Type.LONG, 1_000L, ConfigDef.Range.between(50, 60_000), Importance.LOW,
                LIFECYCLE_POLL_INTERVAL_MS_DOC, GROUP_CONSISTENCY, ++order, Width.SHORT, "Lifecycle poll (ms)");
        def.define(ITERATION_APPLY_TIMEOUT_MS, Type.LONG, 3_600_000L, ConfigDef.Range.between(1_000, 86_400_000),
                Importance.LOW, ITERATION_APPLY_TIMEOUT_MS_DOC, GROUP_CONSISTENCY, ++order, Width.SHORT,
                "Iteration apply timeout (ms)");

        order = 0;
        def.define(UNAVAILABLE_VALUE_PLACEHOLDER, Type.STRING, "__debezium_unavailable_value",
                new ConfigDef.NonEmptyString(), Importance.LOW, UNAVAILABLE_VALUE_PLACEHOLDER_DOC,
                GROUP_EVENTS, ++order, Width.MEDIUM, "Unavailable value placeholder");

        order = 0;
        def.define(LICENSE_KEY, Type.PASSWORD, null, Importance.HIGH, LICENSE_KEY_DOC,
                GROUP_LICENSE, ++order, Width.LONG, "License key");
        def.define(SOURCE_TYPE, Type.STRING, "oracle", ConfigDef.ValidString.in("oracle", "postgresql"),
                Importance.MEDIUM, SOURCE_TYPE_DOC, GROUP_LICENSE, ++order, Width.SHORT, "Source type",
                new EnumRecommender(List.of("oracle", "postgresql")));
        def.define(LICENSE_WARN_THRESHOLD, Type.DOUBLE, 0.9, ConfigDef.Range.between(0.0, 1.0), Importance.LOW,
                LICENSE_WARN_THRESHOLD_DOC, GROUP_LICENSE, ++order, Width.SHORT, "License warning at");
        return def;
    }

    /** Accepts only PostgreSQL JDBC URLs, and says what one looks like. */
    static final class JdbcUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String url = value == null ? "" : value.toString().trim();
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new ConfigException(name, value,
                        "must be a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/database");
            }
            String rest = url.substring("jdbc:postgresql:".length());
            if (rest.startsWith("//") && rest.length() <= 2) {
                throw new ConfigException(name, value, "names no host: use jdbc:postgresql://host:5432/database");
            }
        }

        @Override
        public String toString() {
            return "jdbc:postgresql://host:port/database";
        }
    }

    /** A PostgreSQL identifier Tidemark will quote: non-empty (unless allowed), at most 63 bytes. */
    static final class IdentifierValidator implements ConfigDef.Validator {
        private final boolean emptyAllowed;

        IdentifierValidator(boolean emptyAllowed) {
            this.emptyAllowed = emptyAllowed;
        }

        @Override
        public void ensureValid(String name, Object value) {
            String s = value == null ? "" : value.toString().trim();
            if (s.isEmpty()) {
                if (!emptyAllowed) {
                    throw new ConfigException(name, value, "must not be empty");
                }
                return;
            }
            String problem = io.tidemark.sink.naming.Identifiers.problem(s);
            if (problem != null) {
                throw new ConfigException(name, value, problem);
            }
        }

        @Override
        public String toString() {
            return "a PostgreSQL identifier of at most 63 bytes";
        }
    }

    /** Accepts the value case-insensitively if it names a constant of the enum. */
    static final class EnumValidator implements ConfigDef.Validator {
        private final Set<String> allowed;

        EnumValidator(Class<? extends Enum<?>> type) {
            this.allowed = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !allowed.contains(value.toString().trim().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(name, value, "must be one of " + String.join(", ", allowed));
            }
        }

        @Override
        public String toString() {
            return String.join(", ", allowed);
        }
    }

    /** Offers an enum's values in Connect's validate response (recommended_values). */
    static final class EnumRecommender implements ConfigDef.Recommender {
        private final List<Object> values;

        EnumRecommender(Class<? extends Enum<?>> type) {
            this.values = Arrays.stream(type.getEnumConstants())
                    .map(e -> (Object) e.name().toLowerCase(Locale.ROOT)).toList();
        }

        EnumRecommender(List<String> values) {
            this.values = List.copyOf(values);
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return values;
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }
    }

    /** A list of source:target entries; with an enum type, every target must be one of its values. */
    static final class MapValidator implements ConfigDef.Validator {
        private final EnumValidator targets;

        MapValidator() {
            this.targets = null;
        }

        MapValidator(Class<? extends Enum<?>> targetType) {
            this.targets = new EnumValidator(targetType);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            Map<String, String> entries = MapEntries.parse(name, (List<String>) value);
            if (targets != null) {
                entries.forEach((from, to) -> {
                    try {
                        targets.ensureValid(name, to);
                    } catch (ConfigException e) {
                        throw new ConfigException(name, from + ":" + to, "the value must be one of " + targets);
                    }
                });
            }
        }

        @Override
        public String toString() {
            return targets == null ? "a list of source:target" : "a list of SCHEMA.TABLE:" + targets.toString().replace(", ", "|");
        }
    }
}
