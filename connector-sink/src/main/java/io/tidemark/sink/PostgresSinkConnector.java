package io.tidemark.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.config.MapEntries;
import io.tidemark.sink.naming.NameCase;
import io.tidemark.sink.config.PostgresSinkConfig;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.flush.ConnectionFactory;
import io.tidemark.sink.license.LicenseKeyring;
import io.tidemark.sink.license.LicenseSetup;
import io.tidemark.sink.naming.NameMapper;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.OffsetStore;

/**
 * Tidemark's PostgreSQL sink connector. Thin: configuration and its validation, task configs, and
 * the REST offsets API (which must move the offsets PostgreSQL holds, since those are the truth).
 */
public class PostgresSinkConnector extends SinkConnector {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSinkConnector.class);

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        PostgresSinkConfig config = new PostgresSinkConfig(props);
        PostgresSinkConfig.RETIRED_KEYS.forEach((key, why) -> {
            if (props.containsKey(key)) {
                LOG.warn("Sink {}: {} {}; it is ignored", props.get("name"), key, why);
            }
        });
        LicenseSetup.checkBeforeStart(config, props.get("name"));
        LOG.info("Starting Tidemark PostgreSQL sink {} for project {} into {}", props.get("name"),
                config.projectName(props.get("name")), config.connectionUrl());
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PostgresSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(PostgresSinkTask.TASK_ID, Integer.toString(i)); // names its threads, logs and status rows
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        LOG.info("Stopped Tidemark PostgreSQL sink {}", props == null ? "" : props.get("name"));
    }

    @Override
    public ConfigDef config() {
        return PostgresSinkConfig.CONFIG_DEF;
    }

    /**
     * Per-key validation by the ConfigDef, then the checks that span keys: renames must name tables
     * of the connector's topics, and no two source tables or columns may land on one target name.
     * A key the sink no longer reads is an error on that key, saying why.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        PostgresSinkConfig.RETIRED_KEYS.forEach((key, why) -> {
            if (connectorConfigs.containsKey(key)) {
                config.configValues().add(new ConfigValue(key, connectorConfigs.get(key), List.of(), List.of(key + " " + why)));
            }
        });
        Map<String, ConfigValue> values = config.configValues().stream()
                .collect(Collectors.toMap(ConfigValue::name, v -> v));
        List<String> nameKeys = List.of(PostgresSinkConfig.NAME_CASE, PostgresSinkConfig.TARGET_SCHEMA,
                PostgresSinkConfig.SCHEMA_RENAME, PostgresSinkConfig.TABLE_RENAME, PostgresSinkConfig.COLUMN_RENAME);
        if (nameKeys.stream().anyMatch(k -> !values.get(k).errorMessages().isEmpty())) {
            return config; // the name checks need every naming key to parse
        }
        List<String> topics = PostgresSinkConfig.listedTopics(connectorConfigs);
        Collection<SourceTable> knownTables = topics.isEmpty() ? null
                : topics.stream().map(SourceTable::fromTopic).distinct().toList();
        NameMapper names = new NameMapper(
                NameCase.parse((String) values.get(PostgresSinkConfig.NAME_CASE).value()),
                blankToNull((String) values.get(PostgresSinkConfig.TARGET_SCHEMA).value()),
                entries(values, PostgresSinkConfig.SCHEMA_RENAME),
                entries(values, PostgresSinkConfig.TABLE_RENAME),
                entries(values, PostgresSinkConfig.COLUMN_RENAME));
        names.problems(knownTables).forEach((key, messages) -> messages.forEach(values.get(key)::addErrorMessage));
        validateLicense(connectorConfigs, values);
        validateTimeouts(values);
        return config;
    }

    private static void validateTimeouts(Map<String, ConfigValue> values) {
        ConfigValue statement = values.get(PostgresSinkConfig.CONNECTION_STATEMENT_TIMEOUT_MS);
        ConfigValue socket = values.get(PostgresSinkConfig.CONNECTION_SOCKET_TIMEOUT_MS);
        if (statement.errorMessages().isEmpty() && socket.errorMessages().isEmpty()
                && statement.value() instanceof Long s && socket.value() instanceof Long k) {
            String problem = PostgresSinkConfig.timeoutProblem(s, k);
            if (problem != null) {
                socket.addErrorMessage(problem);
            }
        }
    }

    /** A configured license key must verify, and be for this project, source and target. */
    private static void validateLicense(Map<String, String> connectorConfigs, Map<String, ConfigValue> values) {
        ConfigValue keyValue = values.get(PostgresSinkConfig.LICENSE_KEY);
        if (!keyValue.errorMessages().isEmpty()
                || !values.get(PostgresSinkConfig.CONNECTION_URL).errorMessages().isEmpty()
                || !values.get(PostgresSinkConfig.SOURCE_TYPE).errorMessages().isEmpty()) {
            return;
        }
        PostgresSinkConfig parsed;
        try {
            parsed = new PostgresSinkConfig(connectorConfigs);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            return; // reported per key already
        }
        LicenseKeyring keyring;
        try {
            keyring = LicenseSetup.keyring(parsed, connectorConfigs.get("name"));
        } catch (ConnectException e) {
            keyValue.addErrorMessage(e.getMessage()); // the plugin carries no usable vendor key
            return;
        }
        if (parsed.licenseKey() != null) {
            LicenseKeyring.Choice choice = keyring.choose(
                    List.of(new LicenseKeyring.Candidate("license.key", parsed.licenseKey())), java.time.Instant.now());
            choice.refusals().forEach(keyValue::addErrorMessage);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> entries(Map<String, ConfigValue> values, String key) {
        return MapEntries.parse(key, (List<String>) values.get(key).value());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /**
     * The REST offsets API on a stopped connector (PATCH/DELETE /connectors/{name}/offsets): the
     * task starts from the offsets in PostgreSQL, so they are changed there, in one transaction.
     * A null offset (DELETE) forgets the partition's offset, so it starts from the consumer group's
     * offset or, after a reset, from {@code auto.offset.reset}.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
        PostgresSinkConfig config = new PostgresSinkConfig(connectorConfig);
        String name = connectorConfig.get("name");
        ControlSchema control = new ControlSchema(config.controlSchema());
        try (Connection connection = ConnectionFactory.of(config, "tidemark-sink " + name + " offsets").open()) {
            control.ensure(connection);
            // Stored offsets tell the license meter that the project has applied before: its usage
            // row must exist first, even for a connector created STOPPED that never ran.
            LicenseSetup.meter(config, name, control).prepare(connection);
            new OffsetStore(control, name).alter(connection, new HashMap<>(offsets));
            connection.commit();
            LOG.info("Offsets of sink {} altered in PostgreSQL: {}", name, offsets);
            return true;
        } catch (SQLException e) {
            throw new ConnectException("Cannot alter the offsets stored in PostgreSQL: " + SqlErrors.describe(e), e);
        }
    }
}
