package io.tidemark.source.config;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import io.tidemark.common.load.InitialLoadKeys;

/**
 * The {@code iteration.*} keys that Tidemark adds to a Debezium connector's configuration. Every
 * other key passes through to Debezium unchanged.
 *
 * <p>This class is the one place where a key is defined: its documentation, default and validator
 * sit next to its name, {@link #configDef()} feeds Connect's validate endpoint and docs/source.md
 * lists the same keys.
 */
public final class IterationConfig extends AbstractConfig {

    public static final String GROUP = "Tidemark iterations";

    public static final String INTERVAL_MS = "iteration.interval.ms";
    private static final long INTERVAL_MS_DEFAULT = 300_000L;
    private static final long INTERVAL_MS_MIN = 1_000L;
    private static final String INTERVAL_MS_DOC = "How often a marker row is written, closing the current iteration,"
            + " in milliseconds. 0 writes markers only on request (the first marker after the initial snapshot is"
            + " always written). Otherwise at least " + INTERVAL_MS_MIN + ".";

    public static final String SCHEMA = "iteration.schema";
    private static final String SCHEMA_DOC = "Schema (Oracle: user) in the source database that holds the marker"
            + " table, its sequence and the request table. They are created there if missing. Written as an unquoted"
            + " identifier: Oracle folds it to upper case, PostgreSQL to lower case.";

    public static final String TABLE = "iteration.table";
    private static final String TABLE_DEFAULT = "tidemark_iteration";
    private static final String TABLE_DOC = "Name of the marker table. One row per iteration boundary; the connector"
            + " adds it to the captured tables itself.";

    public static final String SEQUENCE = "iteration.sequence";
    private static final String SEQUENCE_DEFAULT = "tidemark_iteration_seq";
    private static final String SEQUENCE_DOC = "Name of the sequence that numbers the iterations. It starts at 0:"
            + " marker 0 closes iteration 0, the initial snapshot.";

    public static final String REQUEST_TABLE = "iteration.request.table";
    private static final String REQUEST_TABLE_DEFAULT = "tidemark_iteration_request";
    private static final String REQUEST_TABLE_DOC = "Name of the table in which the control API (or an operator)"
            + " asks for a marker now: a row with action CLOSE closes the current iteration, FINAL closes it as the"
            + " last one of a soft stop. It is not captured.";

    public static final String REQUEST_POLL_INTERVAL_MS = "iteration.request.poll.interval.ms";
    private static final long REQUEST_POLL_INTERVAL_MS_DEFAULT = 1_000L;
    private static final String REQUEST_POLL_INTERVAL_MS_DOC = "How often the request table is read, in"
            + " milliseconds; also the resolution of iteration.interval.ms.";

    public static final String INITIAL_LOAD = InitialLoadKeys.INITIAL_LOAD;
    public static final String INITIAL_LOAD_SNAPSHOT = InitialLoadKeys.SNAPSHOT;
    public static final String INITIAL_LOAD_BULK = InitialLoadKeys.BULK;
    private static final String INITIAL_LOAD_DOC = "How the target gets the rows that exist before the change stream: "
            + INITIAL_LOAD_SNAPSHOT + " (Debezium's snapshot; marker 0 is written as soon as streaming runs) or "
            + INITIAL_LOAD_BULK + " (Tidemark's bulk load copies the tables database to database, docs/bulk-load.md;"
            + " Debezium then runs snapshot.mode=no_data, and marker 0 waits until the bulk load asks for it, after"
            + " fixing the position it reads the source at). PostgreSQL sources only.";

    public static final String INITIAL_LOAD_WORKERS = InitialLoadKeys.WORKERS;
    public static final int INITIAL_LOAD_WORKERS_DEFAULT = InitialLoadKeys.WORKERS_DEFAULT;
    public static final int INITIAL_LOAD_WORKERS_MAX = InitialLoadKeys.WORKERS_MAX;
    private static final String INITIAL_LOAD_WORKERS_DOC = "With " + INITIAL_LOAD + "=" + INITIAL_LOAD_BULK
            + ": the chunks the bulk load copies at once, each on a session of its own in the source and in the"
            + " target (so twice this many connections). About the cores the two databases can give it; read by"
            + " the control API's start, not by Debezium.";

    /** Properties under this prefix configure the Kafka admin client that learns the table topics' partitions. */
    public static final String ADMIN_PREFIX = "iteration.admin.";
    public static final String ADMIN_BOOTSTRAP_SERVERS = ADMIN_PREFIX + "bootstrap.servers";
    private static final String ADMIN_BOOTSTRAP_SERVERS_DOC = "Kafka cluster of the table topics. The marker goes into"
            + " every partition of every captured table topic, so the connector asks this cluster for partition"
            + " counts and creates missing topics (with the topic.creation.* settings). Defaults to"
            + " schema.history.internal.kafka.bootstrap.servers. Other " + ADMIN_PREFIX + "* properties (security"
            + " settings, for example) are passed to the admin client without the prefix.";

    /** Where Debezium's Oracle connector already names the Kafka cluster; the admin client falls back to it. */
    public static final String SCHEMA_HISTORY_BOOTSTRAP_SERVERS = "schema.history.internal.kafka.bootstrap.servers";

    // Oracle and PostgreSQL unquoted identifiers; '#' and '$' are legal in Oracle and harmless in PostgreSQL.
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_$#]{0,62}");

    private static final ConfigDef CONFIG_DEF = define(new ConfigDef());

    public IterationConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props, false);
    }

    /** A fresh definition of the {@code iteration.*} keys. */
    public static ConfigDef configDef() {
        return define(new ConfigDef());
    }

    /** Adds the {@code iteration.*} keys to {@code def} (Debezium's own definition, for Connect's validate endpoint). */
    public static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
                .define(INTERVAL_MS, Type.LONG, INTERVAL_MS_DEFAULT, IterationConfig::validateInterval,
                        Importance.HIGH, INTERVAL_MS_DOC, GROUP, ++order, Width.SHORT, "Iteration interval (ms)")
                .define(SCHEMA, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, IterationConfig::validateIdentifier,
                        Importance.HIGH, SCHEMA_DOC, GROUP, ++order, Width.MEDIUM, "Marker schema")
                .define(TABLE, Type.STRING, TABLE_DEFAULT, IterationConfig::validateIdentifier,
                        Importance.LOW, TABLE_DOC, GROUP, ++order, Width.MEDIUM, "Marker table")
                .define(SEQUENCE, Type.STRING, SEQUENCE_DEFAULT, IterationConfig::validateIdentifier,
                        Importance.LOW, SEQUENCE_DOC, GROUP, ++order, Width.MEDIUM, "Marker sequence")
                .define(REQUEST_TABLE, Type.STRING, REQUEST_TABLE_DEFAULT, IterationConfig::validateIdentifier,
                        Importance.LOW, REQUEST_TABLE_DOC, GROUP, ++order, Width.MEDIUM, "Request table")
                .define(REQUEST_POLL_INTERVAL_MS, Type.LONG, REQUEST_POLL_INTERVAL_MS_DEFAULT,
                        ConfigDef.Range.between(100L, 60_000L), Importance.LOW, REQUEST_POLL_INTERVAL_MS_DOC,
                        GROUP, ++order, Width.SHORT, "Request poll interval (ms)")
                .define(ADMIN_BOOTSTRAP_SERVERS, Type.STRING, "", Importance.MEDIUM, ADMIN_BOOTSTRAP_SERVERS_DOC,
                        GROUP, ++order, Width.LONG, "Kafka bootstrap servers for the marker fan-out")
                .define(INITIAL_LOAD, Type.STRING, INITIAL_LOAD_SNAPSHOT,
                        ConfigDef.ValidString.in(INITIAL_LOAD_SNAPSHOT, INITIAL_LOAD_BULK), Importance.MEDIUM,
                        INITIAL_LOAD_DOC, GROUP, ++order, Width.SHORT, "Initial load")
                .define(INITIAL_LOAD_WORKERS, Type.INT, INITIAL_LOAD_WORKERS_DEFAULT,
                        ConfigDef.Range.between(1, INITIAL_LOAD_WORKERS_MAX), Importance.LOW, INITIAL_LOAD_WORKERS_DOC,
                        GROUP, ++order, Width.SHORT, "Bulk load workers");
    }

    private static void validateInterval(String name, Object value) {
        if (value == null) {
            throw new ConfigException(name, null, "must be set");
        }
        long ms = (Long) value;
        if (ms != 0 && ms < INTERVAL_MS_MIN) {
            throw new ConfigException(name, value, "must be 0 (markers only on request) or at least " + INTERVAL_MS_MIN + " ms");
        }
    }

    // A missing value is reported by ConfigDef itself ("Missing required configuration").
    private static void validateIdentifier(String name, Object value) {
        if (value != null && !IDENTIFIER.matcher(value.toString()).matches()) {
            throw new ConfigException(name, value, "must be an unquoted SQL identifier: a letter, then letters,"
                    + " digits, '_', '$' or '#', at most 63 characters");
        }
    }

    public long intervalMs() {
        return getLong(INTERVAL_MS);
    }

    public String schema() {
        return getString(SCHEMA);
    }

    public String table() {
        return getString(TABLE);
    }

    public String sequence() {
        return getString(SEQUENCE);
    }

    public String requestTable() {
        return getString(REQUEST_TABLE);
    }

    public long requestPollIntervalMs() {
        return getLong(REQUEST_POLL_INTERVAL_MS);
    }

    /** Whether marker 0 waits for a request: Tidemark's bulk load asks for it once its read position is fixed. */
    public boolean bulkInitialLoad() {
        return INITIAL_LOAD_BULK.equals(getString(INITIAL_LOAD));
    }

    /**
     * Why the initial load setting cannot work with Debezium's snapshot mode, or null. A bulk load
     * beside Debezium's snapshot would load every row twice, the snapshot's copies after marker 0's
     * request could not be told apart from changes.
     */
    public static String initialLoadProblem(Map<String, String> props) {
        if (!INITIAL_LOAD_BULK.equals(props.get(INITIAL_LOAD))) {
            return null;
        }
        String mode = props.getOrDefault("snapshot.mode", "initial");
        if ("no_data".equalsIgnoreCase(mode) || "never".equalsIgnoreCase(mode)) {
            return null;
        }
        return "is " + INITIAL_LOAD_BULK + ", which needs snapshot.mode=no_data (the bulk load copies the rows), not "
                + mode;
    }

    /**
     * Admin client properties: {@code iteration.admin.*} without the prefix, the bootstrap servers
     * falling back to those of Debezium's schema history.
     */
    public static Map<String, Object> adminProperties(Map<String, String> connectorProps) {
        Map<String, Object> admin = new HashMap<>();
        connectorProps.forEach((key, value) -> {
            if (key.startsWith(ADMIN_PREFIX) && value != null) {
                admin.put(key.substring(ADMIN_PREFIX.length()), value);
            }
        });
        Object servers = admin.get("bootstrap.servers");
        if (servers == null || servers.toString().isBlank()) {
            String fallback = connectorProps.get(SCHEMA_HISTORY_BOOTSTRAP_SERVERS);
            if (fallback == null || fallback.isBlank()) {
                admin.remove("bootstrap.servers");
            } else {
                admin.put("bootstrap.servers", fallback);
            }
        }
        return admin;
    }

    /** Why the admin client cannot be configured, or null when it can. */
    public static String adminProblem(Map<String, String> connectorProps) {
        if (adminProperties(connectorProps).containsKey("bootstrap.servers")) {
            return null;
        }
        return "must be set (or " + SCHEMA_HISTORY_BOOTSTRAP_SERVERS + "): the marker goes into every partition of"
                + " every table topic, and the connector asks this Kafka cluster how many partitions each has";
    }
}
