package io.tidemark.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debezium.config.Configuration;
import io.tidemark.source.config.CaptureListRewriter;
import io.tidemark.source.config.ConfigProblem;
import io.tidemark.source.config.IterationConfig;
import io.tidemark.source.marker.MarkerTableSetup;
import io.tidemark.source.marker.MarkerTables;

/**
 * The connector side of iterations, shared by the Oracle and PostgreSQL connectors: the merged
 * configuration definition, validation of the {@code iteration.*} keys beside Debezium's, and, at
 * start, the marker objects in the source database and the adjusted capture lists.
 */
final class IterationConnectorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(IterationConnectorSupport.class);

    private static final String CONNECTOR_CLASS = "connector.class";

    private final SourceFlavor flavor;
    private final CaptureListRewriter rewriter;

    IterationConnectorSupport(SourceFlavor flavor) {
        this.flavor = flavor;
        this.rewriter = new CaptureListRewriter(flavor::captureFilter);
    }

    /** Debezium's definition plus the {@code iteration.*} keys (a copy: Debezium's stays as it is). */
    ConfigDef config(ConfigDef debezium) {
        return IterationConfig.define(new ConfigDef(debezium));
    }

    /** Debezium's validation results with the {@code iteration.*} keys' and the capture-list conflicts added. */
    Config validate(Map<String, String> props, Config debezium) {
        Map<String, ConfigValue> byName = new LinkedHashMap<>();
        debezium.configValues().forEach(value -> byName.put(value.name(), value));
        List<ConfigValue> ours = IterationConfig.configDef().validate(props);
        ours.forEach(value -> byName.put(value.name(), value));

        String adminProblem = IterationConfig.adminProblem(props);
        if (adminProblem != null) {
            byName.get(IterationConfig.ADMIN_BOOTSTRAP_SERVERS).addErrorMessage(adminProblem);
        }
        if (ours.stream().allMatch(value -> value.errorMessages().isEmpty())) {
            for (ConfigProblem problem : problems(props, rewriter.rewrite(props, tables(props)))) {
                byName.computeIfAbsent(problem.key(), ConfigValue::new).addErrorMessage(problem.message());
            }
        }
        return new Config(new ArrayList<>(byName.values()));
    }

    /**
     * Checks the configuration, creates the missing marker objects and returns the configuration
     * Debezium runs with ({@link #taskProps}).
     */
    Map<String, String> prepare(Map<String, String> props) {
        Map<String, String> taskProps = taskProps(props);
        MarkerTables tables = tables(props);
        Configuration config = Configuration.from(props);
        String user = flavor.connectorConfig(config).getJdbcConfig().getUser();
        try (Connection connection = flavor.connect(config)) {
            new MarkerTableSetup(flavor.dialect(), tables, user).ensure(connection);
            warnAboutCapturedTables(connection, taskProps);
        } catch (SQLException e) {
            throw new ConnectException("Cannot connect to the source database to set up the marker table "
                    + tables.qualifiedMarkerTable() + ": " + e.getMessage(), e);
        }
        logChanges(props, taskProps);
        return taskProps;
    }

    /**
     * The configuration Debezium runs with: the user's, with the capture lists adjusted for the
     * marker tables and the flavour's {@linkplain SourceFlavor#defaults defaults} where the user set
     * nothing. Needs no database; throws {@link ConfigException} for what cannot work.
     */
    Map<String, String> taskProps(Map<String, String> props) {
        String adminProblem = IterationConfig.adminProblem(props);
        if (adminProblem != null) {
            throw new ConfigException(IterationConfig.ADMIN_BOOTSTRAP_SERVERS + " " + adminProblem);
        }
        CaptureListRewriter.Result rewritten = rewriter.rewrite(props, tables(props));
        List<ConfigProblem> problems = problems(props, rewritten);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.stream().map(p -> p.key() + " " + p.message()).collect(Collectors.joining("; ")));
        }
        Map<String, String> taskProps = new HashMap<>(rewritten.props());
        flavor.defaults(props).forEach(taskProps::putIfAbsent);
        // Debezium picks its connector-specific services (snapshot query, lock, snapshotter) by comparing
        // connector.class with the connector they are written for. This plugin holds the Oracle and the
        // PostgreSQL connector, so without Debezium's own class name it may pick the other one's.
        taskProps.put(CONNECTOR_CLASS, flavor.debeziumConnector().getName());
        return taskProps;
    }

    private void warnAboutCapturedTables(Connection connection, Map<String, String> taskProps) {
        try {
            flavor.capturedTableWarnings(connection, taskProps).forEach(LOG::warn);
        } catch (SQLException e) {
            LOG.warn("Could not check the captured tables' columns in the catalog ({}): values Debezium does not carry"
                    + " are not named at start; docs/types.md lists the types", e.getMessage());
        }
    }

    private MarkerTables tables(Map<String, String> props) {
        return flavor.dialect().tables(new IterationConfig(props));
    }

    private List<ConfigProblem> problems(Map<String, String> props, CaptureListRewriter.Result rewritten) {
        List<ConfigProblem> problems = new ArrayList<>(rewritten.problems());
        String initialLoad = IterationConfig.initialLoadProblem(props);
        if (initialLoad != null) {
            problems.add(new ConfigProblem(IterationConfig.INITIAL_LOAD, initialLoad));
        }
        problems.addAll(flavor.configProblems(props));
        return problems;
    }

    private static void logChanges(Map<String, String> before, Map<String, String> after) {
        after.forEach((key, value) -> {
            if (!value.equals(before.get(key))) {
                LOG.info("Iteration markers: {} = {} (configured: {})", key, value, before.get(key));
            }
        });
    }
}
