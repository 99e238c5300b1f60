package io.tidemark.source.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.relational.RelationalDatabaseConnectorConfig;
import io.debezium.relational.TableId;
import io.debezium.relational.Tables.TableFilter;
import io.debezium.util.Strings;
import io.tidemark.source.marker.MarkerTables;

/**
 * Adjusts Debezium's capture lists so that the marker table is captured, the request table is not,
 * and a configured snapshot list takes the marker table too. Whether a table is captured is decided
 * by the connector's own filter ({@code RelationalTableFilters}, built by Debezium's connector
 * configuration from the adjusted lists), so the rules here cannot drift from Debezium's.
 *
 * <p>The snapshot reads the marker table like any captured table: its old rows arrive as snapshot
 * reads, which are no boundaries and are dropped by the task. Leaving the table out of the snapshot
 * is not an option: with {@code schema.history.internal.store.only.captured.tables.ddl=true}
 * Debezium's Oracle snapshot reads the structure of the snapshotted tables' schemas only, yet
 * records the marker table's, and fails ("Unable to find relational table model").
 *
 * <p>What cannot be adjusted safely (an exclude list that names the marker table, an include list
 * that matches the request table, skipped inserts, a marker schema Debezium never captures) is
 * reported as a problem against the key.
 */
public final class CaptureListRewriter {

    public static final String TABLE_INCLUDE = RelationalDatabaseConnectorConfig.TABLE_INCLUDE_LIST.name();
    public static final String TABLE_EXCLUDE = RelationalDatabaseConnectorConfig.TABLE_EXCLUDE_LIST.name();
    public static final String SCHEMA_INCLUDE = RelationalDatabaseConnectorConfig.SCHEMA_INCLUDE_LIST.name();
    public static final String SCHEMA_EXCLUDE = RelationalDatabaseConnectorConfig.SCHEMA_EXCLUDE_LIST.name();
    public static final String SNAPSHOT_INCLUDE = CommonConnectorConfig.SNAPSHOT_MODE_TABLES.name();
    public static final String SKIPPED_OPERATIONS = CommonConnectorConfig.SKIPPED_OPERATIONS.name();
    public static final String MARKER_SCHEMA = IterationConfig.SCHEMA;

    /** The connector's table filter as its Debezium configuration builds it from these properties. */
    @FunctionalInterface
    public interface Filters {
        TableFilter capturedBy(Map<String, String> props);
    }

    /** The adjusted configuration, valid only when there are no problems. */
    public record Result(Map<String, String> props, List<ConfigProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Filters filters;

    public CaptureListRewriter(Filters filters) {
        this.filters = filters;
    }

    public Result rewrite(Map<String, String> original, MarkerTables tables) {
        Map<String, String> props = new HashMap<>(original);
        List<ConfigProblem> problems = new ArrayList<>();
        TableId marker = new TableId(null, tables.schema(), tables.markerTable());
        TableId request = new TableId(null, tables.schema(), tables.requestTable());

        if (!captures(props, marker)) {
            includeMarkerTable(props, tables, marker, problems);
        }
        if (problems.isEmpty() && captures(props, request)) {
            if (isSet(props, TABLE_INCLUDE)) {
                problems.add(new ConfigProblem(TABLE_INCLUDE, "matches the request table " + tables.qualifiedRequestTable()
                        + ", which must not be captured: narrow the pattern"));
            } else {
                append(props, TABLE_EXCLUDE, tableRegex(tables.schema(), tables.requestTable()));
            }
        }
        if (problems.isEmpty() && !captures(Map.of(), marker)) {
            problems.add(new ConfigProblem(MARKER_SCHEMA, "names " + tables.schema() + ", whose tables Debezium never"
                    + " captures (it leaves out the schemas the database maintains itself): choose another schema, such as"
                    + " the connector's own user"));
        }
        if (problems.isEmpty() && (!captures(props, marker) || captures(props, request))) {
            problems.add(new ConfigProblem(TABLE_INCLUDE, "Debezium's filters (database, schema and table lists) must capture"
                    + " the marker table " + tables.qualifiedMarkerTable() + " and not the request table "
                    + tables.qualifiedRequestTable()));
        }
        includeMarkerTableInSnapshot(props, tables);

        String skipped = props.getOrDefault(SKIPPED_OPERATIONS, "t");
        if (Arrays.stream(skipped.split(",")).map(String::trim).anyMatch("c"::equalsIgnoreCase)) {
            problems.add(new ConfigProblem(SKIPPED_OPERATIONS, "must not skip inserts ('c'): marker rows are inserts"));
        }
        return new Result(props, problems);
    }

    private void includeMarkerTable(Map<String, String> props, MarkerTables tables, TableId marker, List<ConfigProblem> problems) {
        if (isSet(props, SCHEMA_INCLUDE) && !captures(Map.of(SCHEMA_INCLUDE, props.get(SCHEMA_INCLUDE)), marker)) {
            append(props, SCHEMA_INCLUDE, identifierRegex(tables.schema()));
        }
        if (isSet(props, TABLE_INCLUDE)) {
            append(props, TABLE_INCLUDE, tableRegex(tables.schema(), tables.markerTable()));
            return;
        }
        if (isSet(props, SCHEMA_EXCLUDE) && !captures(Map.of(SCHEMA_EXCLUDE, props.get(SCHEMA_EXCLUDE)), marker)) {
            problems.add(new ConfigProblem(SCHEMA_EXCLUDE, "excludes the schema " + tables.schema()
                    + " of the marker table, which must be captured"));
        }
        if (isSet(props, TABLE_EXCLUDE) && !captures(Map.of(TABLE_EXCLUDE, props.get(TABLE_EXCLUDE)), marker)) {
            problems.add(new ConfigProblem(TABLE_EXCLUDE, "excludes the marker table " + tables.qualifiedMarkerTable()
                    + ", which must be captured"));
        }
    }

    /**
     * A configured snapshot list gets the marker table, so that the snapshot reads its structure.
     * Debezium matches the patterns against "schema.table" on PostgreSQL and "database.schema.table"
     * on Oracle; unset, the list means every captured table.
     */
    private static void includeMarkerTableInSnapshot(Map<String, String> props, MarkerTables tables) {
        String pattern = "(?:[^.]+\\.)?" + tableRegex(tables.schema(), tables.markerTable());
        if (isSet(props, SNAPSHOT_INCLUDE)
                && !Arrays.asList(Strings.RegExSplitter.split(props.get(SNAPSHOT_INCLUDE))).contains(pattern)) {
            append(props, SNAPSHOT_INCLUDE, pattern);
        }
    }

    /** True when the connector's table filter, built from these properties, captures the table. */
    boolean captures(Map<String, String> props, TableId table) {
        return filters.capturedBy(props).isIncluded(table);
    }

    private static boolean isSet(Map<String, String> props, String key) {
        String value = props.get(key);
        return value != null && !value.isBlank();
    }

    private static void append(Map<String, String> props, String key, String regex) {
        props.put(key, isSet(props, key) ? props.get(key) + "," + regex : regex);
    }

    static String tableRegex(String schema, String table) {
        return identifierRegex(schema) + "\\." + identifierRegex(table);
    }

    // The configured identifiers hold only letters, digits, '_', '#' and '$'; only '$' means something in a regex.
    static String identifierRegex(String identifier) {
        return identifier.replace("$", "\\$");
    }
}
