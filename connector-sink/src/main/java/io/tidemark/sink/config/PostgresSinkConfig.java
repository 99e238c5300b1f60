package io.tidemark.sink.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.sink.SinkConnector;

import io.tidemark.sink.naming.NameCase;
import io.tidemark.sink.naming.NameMapper;

/**
 * Every configuration key of the PostgreSQL sink: one constant per key, with its documentation next
 * to it, and the typed accessors. {@link SinkConfigDef} defines each key's type, default and
 * validator. These two are the single source of truth; {@code docs/sink.md} lists the same keys.
 */
public class PostgresSinkConfig extends AbstractConfig {

    // ---- connection ---------------------------------------------------------------------------
    static final String GROUP_CONNECTION = "Connection";

    public static final String CONNECTION_URL = "connection.url";
    static final String CONNECTION_URL_DOC = "JDBC URL of the target PostgreSQL database, "
            + "e.g. jdbc:postgresql://db.example.com:5432/target. Driver properties may follow '?'.";

    public static final String CONNECTION_USER = "connection.user";
    static final String CONNECTION_USER_DOC = "Database user. Needs CREATE on the database (for the "
            + "control schema and target schemas) or ownership of existing target tables.";

    public static final String CONNECTION_PASSWORD = "connection.password";
    static final String CONNECTION_PASSWORD_DOC = "Password of the database user. Prefer a config "
            + "provider, e.g. ${file:/etc/tidemark/secrets.properties:pg.password}.";

    public static final String CONNECTION_TIMEOUT_MS = "connection.timeout.ms";
    static final String CONNECTION_TIMEOUT_MS_DOC = "Longest wait to connect and log in to PostgreSQL. A "
            + "server that does not answer in time counts as a transient error: the flush is retried.";

    public static final String CONNECTION_STATEMENT_TIMEOUT_MS = "connection.statement.timeout.ms";
    static final String CONNECTION_STATEMENT_TIMEOUT_MS_DOC = "PostgreSQL's statement_timeout for the sink's "
            + "sessions: a statement that runs longer is cancelled and the flush retried. Must exceed the time the "
            + "largest batch takes to apply.";

    public static final String CONNECTION_LOCK_TIMEOUT_MS = "connection.lock.timeout.ms";
    static final String CONNECTION_LOCK_TIMEOUT_MS_DOC = "PostgreSQL's lock_timeout for the sink's sessions: "
            + "a wait for a lock held by another session (say one left idle in a transaction) ends after this long, "
            + "the table shows ERROR_RETRIABLE naming who holds the lock, and the flush is retried.";

    public static final String CONNECTION_SOCKET_TIMEOUT_MS = "connection.socket.timeout.ms";
    static final String CONNECTION_SOCKET_TIMEOUT_MS_DOC = "Longest wait for PostgreSQL to answer at all; "
            + "ends a connection that stopped answering (a network partition, a dead server) so the task never "
            + "hangs. Must exceed connection.statement.timeout.ms.";

    // ---- project and control schema -----------------------------------------------------------
    static final String GROUP_CONTROL = "Project";

    public static final String PROJECT_NAME = "project.name";
    static final String PROJECT_NAME_DOC = "Name of the migration project. Rows in the control schema "
            + "(offsets excepted, which belong to the connector) are kept per project; license keys name it. "
            + "Default: the connector's name.";

    public static final String CONTROL_SCHEMA = "control.schema";
    public static final String CONTROL_SCHEMA_DEFAULT = "tidemark";
    static final String CONTROL_SCHEMA_DOC = "PostgreSQL schema for Tidemark's own tables: Kafka offsets, "
            + "table states, the iteration ledger, error rows, license usage. Created and upgraded on start.";

    // ---- target tables and names --------------------------------------------------------------
    static final String GROUP_TARGET = "Target tables";

    public static final String TARGET_SCHEMA = "target.schema";
    static final String TARGET_SCHEMA_DOC = "Put every table into this PostgreSQL schema. Empty (default): "
            + "each table goes to the schema named after its source schema (after name.case and schema.rename).";

    public static final String NAME_CASE = "name.case";
    static final String NAME_CASE_DOC = "How source names become PostgreSQL names when no rename applies: "
            + "'lower' (default; EMPLOYEES becomes employees) or 'preserve'.";

    public static final String SCHEMA_RENAME = "schema.rename";
    static final String SCHEMA_RENAME_DOC = "Source schema to target schema, as a list of SOURCE:target, "
            + "e.g. HR:human_resources,SALES:sales_2024.";

    public static final String TABLE_RENAME = "table.rename";
    static final String TABLE_RENAME_DOC = "Source table to target table, as a list of SCHEMA.TABLE:target "
            + "or SCHEMA.TABLE:schema.target, e.g. HR.EMP:employees. Source tables are named as in their topic "
            + "(<prefix>.<SCHEMA>.<TABLE>), matched without regard to case.";

    public static final String COLUMN_RENAME = "column.rename";
    static final String COLUMN_RENAME_DOC = "Source column to target column, as a list of "
            + "SCHEMA.TABLE.COLUMN:target, e.g. HR.EMP.ENAME:name.";

    public static final String TABLE_AUTO_CREATE = "table.auto.create";
    static final String TABLE_AUTO_CREATE_DOC = "Create a missing target table (and schema) from the record "
            + "schema, with the primary key and nothing else. When false, a missing table is an error for that table.";

    public static final String TABLE_AUTO_EVOLVE = "table.auto.evolve";
    static final String TABLE_AUTO_EVOLVE_DOC = "Add a column to the target table when records gain a field "
            + "(a column added in the source). When false, a missing column is an error for that table.";

    // ---- batching -----------------------------------------------------------------------------
    static final String GROUP_BATCH = "Batching";

    public static final String BATCH_SIZE = "batch.size";
    static final String BATCH_SIZE_DOC = "Most records a task buffers before it applies them in one "
            + "transaction. A task holds up to two batches (one being applied, one filling): memory grows with it; "
            + "so does throughput, up to a point. Set the consumer's "
            + "max.poll.records (consumer.override.max.poll.records) to a fraction of it.";

    public static final String BATCH_MAX_BYTES = "batch.max.bytes";
    static final String BATCH_MAX_BYTES_DOC = "Most bytes of values a task buffers before it applies them: "
            + "a batch is applied once it has batch.size records or this many bytes, whichever comes first, so that "
            + "large values (LOBs) keep the COPY buffer and the heap bounded. A single row larger than this goes to "
            + "the table's error policy (table.error.policy) with the reason; raise it for such rows.";

    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
    static final String BATCH_MAX_WAIT_MS_DOC = "Longest time a buffered record waits before it is applied, "
            + "when the batch does not fill. Bounds the lag a quiet topic sees.";

    // ---- errors and retries -------------------------------------------------------------------
    static final String GROUP_ERRORS = "Errors";

    public static final String TABLE_ERROR_POLICY = "table.error.policy";
    static final String TABLE_ERROR_POLICY_DOC = "What to do with a record that cannot be applied (wrong "
            + "shape, a value that does not fit its column, an unknown operation): 'fail' stops the table "
            + "(ERROR_ABORTED, its partitions paused, the records wait in Kafka), 'skip' logs the record and goes "
            + "on, 'flag' writes it with the reason to <control.schema>.error_rows and goes on.";

    public static final String TABLE_ERROR_POLICY_OVERRIDES = "table.error.policy.overrides";
    static final String TABLE_ERROR_POLICY_OVERRIDES_DOC = "Per-table error policies, as a list of "
            + "SCHEMA.TABLE:policy, e.g. HR.AUDIT_LOG:flag.";

    public static final String RETRY_MAX_DURATION_MS = "retry.max.duration.ms";
    static final String RETRY_MAX_DURATION_MS_DOC = "How long a flush is retried after transient database "
            + "errors (connection lost, serialization failure, deadlock) before the task fails.";

    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    static final String RETRY_BACKOFF_MS_DOC = "First wait between retries; doubles up to retry.backoff.max.ms.";

    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between retries.";

    // ---- consistency and lifecycle ------------------------------------------------------------
    static final String GROUP_CONSISTENCY = "Consistency and lifecycle";

    public static final String CONSISTENCY_MODE = "consistency.mode";
    static final String CONSISTENCY_MODE_DOC = "How tables reach the target: 'partial' (default) applies "
            + "each batch as it comes, every table on its own; 'full' stages the changes of an iteration and applies "
            + "them to every FULL table in one transaction once all of them reached the iteration's marker, so readers "
            + "see the FULL tables only as the source was at some marker. Taken for a table already known only while "
            + "it is STOPPED (docs/consistency.md).";

    public static final String CONSISTENCY_MODE_OVERRIDES = "consistency.mode.overrides";
    static final String CONSISTENCY_MODE_OVERRIDES_DOC = "Per-table consistency modes, as a list of "
            + "SCHEMA.TABLE:mode, e.g. SALES.ORDERS:full,SALES.ORDER_LINES:full.";

    public static final String LIFECYCLE_POLL_INTERVAL_MS = "lifecycle.poll.interval.ms";
    static final String LIFECYCLE_POLL_INTERVAL_MS_DOC = "How often each task reads the desired states in "
            + "the control schema (start, pause, stop, a mode change, a soft stop) and checks whether an iteration it "
            + "waits for was applied.";

    public static final String ITERATION_APPLY_TIMEOUT_MS = "iteration.apply.timeout.ms";
    static final String ITERATION_APPLY_TIMEOUT_MS_DOC = "PostgreSQL's statement_timeout for the transaction "
            + "that applies a FULL iteration to every FULL table at once. It runs on a thread and connection of its "
            + "own, never inside Connect's put, so it may take far longer than a batch (connection.statement.timeout.ms "
            + "does not bound it). A statement that runs longer is cancelled, the iteration says so in "
            + "<control.schema>.iteration.waiting_for, and it is tried again later: size it for the largest iteration's "
            + "staged rows.";

    // ---- change events ------------------------------------------------------------------------
    static final String GROUP_EVENTS = "Change events";

    public static final String UNAVAILABLE_VALUE_PLACEHOLDER = "unavailable.value.placeholder";
    static final String UNAVAILABLE_VALUE_PLACEHOLDER_DOC = "The value Debezium puts in a LOB (or TOASTed) "
            + "column whose content the change did not carry; such a column keeps its stored value. Must equal the "
            + "source connector's unavailable.value.placeholder.";

    // ---- license ------------------------------------------------------------------------------
    static final String GROUP_LICENSE = "License";

    public static final String LICENSE_KEY = "license.key";
    static final String LICENSE_KEY_DOC = "The license key (a signed token) for this project. Keys can also "
            + "be installed as rows in <control.schema>.license_key; the newest valid one wins.";

    public static final String SOURCE_TYPE = "source.type";
    static final String SOURCE_TYPE_DOC = "The kind of source database this project migrates: 'oracle' "
            + "(default) or 'postgresql'. License keys are issued for one source type.";

    public static final String LICENSE_WARN_THRESHOLD = "license.warn.threshold";
    static final String LICENSE_WARN_THRESHOLD_DOC = "Fraction of the licensed volume at which the status "
            + "and the log say that the license runs low.";

    // ---- retired -------------------------------------------------------------------------------

    /**
     * Keys this sink no longer reads, each with why and what to do, in words that follow the key's
     * name: {@code validate} refuses them, and a connector that still carries one (stored before an
     * upgrade) logs it at start and ignores it.
     */
    public static final Map<String, String> RETIRED_KEYS = Map.of(
            "license.public.key", "is no longer read: license keys are verified only against the vendor's public "
                    + "keys built into the plugin, since a public key from the configuration would let anyone sign "
                    + "their own license. Remove license.public.key from the connector configuration (docs/license.md)");

    public static final ConfigDef CONFIG_DEF = SinkConfigDef.configDef();

    public PostgresSinkConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
        String problem = timeoutProblem(statementTimeoutMs(), socketTimeoutMs());
        if (problem != null) {
            throw new ConfigException(CONNECTION_SOCKET_TIMEOUT_MS, socketTimeoutMs(), problem);
        }
    }

    // ---- typed accessors ----------------------------------------------------------------------

    public String connectionUrl() {
        return getString(CONNECTION_URL);
    }

    public String connectionUser() {
        return getString(CONNECTION_USER);
    }

    public String connectionPassword() {
        Password password = getPassword(CONNECTION_PASSWORD);
        return password == null ? null : password.value();
    }

    public long connectionTimeoutMs() {
        return getLong(CONNECTION_TIMEOUT_MS);
    }

    public long statementTimeoutMs() {
        return getLong(CONNECTION_STATEMENT_TIMEOUT_MS);
    }

    public long lockTimeoutMs() {
        return getLong(CONNECTION_LOCK_TIMEOUT_MS);
    }

    public long socketTimeoutMs() {
        return getLong(CONNECTION_SOCKET_TIMEOUT_MS);
    }

    /**
     * What is wrong with the timeouts taken together, or null: the socket timeout must leave a
     * statement its full time, or a long statement would look like a dead server.
     */
    public static String timeoutProblem(long statementTimeoutMs, long socketTimeoutMs) {
        if (socketTimeoutMs <= statementTimeoutMs) {
            return CONNECTION_SOCKET_TIMEOUT_MS + " (" + socketTimeoutMs + ") must exceed "
                    + CONNECTION_STATEMENT_TIMEOUT_MS + " (" + statementTimeoutMs + "): a statement still running "
                    + "would look like a server that stopped answering";
        }
        return null;
    }

    /** The project name, defaulting to the connector's name. */
    public String projectName(String connectorName) {
        String project = getString(PROJECT_NAME);
        return project == null || project.isBlank() ? connectorName : project.trim();
    }

    public String controlSchema() {
        return getString(CONTROL_SCHEMA);
    }

    public String targetSchema() {
        String s = getString(TARGET_SCHEMA);
        return s == null || s.isBlank() ? null : s.trim();
    }

    public NameCase nameCase() {
        return NameCase.parse(getString(NAME_CASE));
    }

    public Map<String, String> schemaRenames() {
        return MapEntries.parse(SCHEMA_RENAME, getList(SCHEMA_RENAME));
    }

    public Map<String, String> tableRenames() {
        return MapEntries.parse(TABLE_RENAME, getList(TABLE_RENAME));
    }

    public Map<String, String> columnRenames() {
        return MapEntries.parse(COLUMN_RENAME, getList(COLUMN_RENAME));
    }

    public boolean autoCreate() {
        return getBoolean(TABLE_AUTO_CREATE);
    }

    public boolean autoEvolve() {
        return getBoolean(TABLE_AUTO_EVOLVE);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public long batchMaxBytes() {
        return getLong(BATCH_MAX_BYTES);
    }

    public long batchMaxWaitMs() {
        return getLong(BATCH_MAX_WAIT_MS);
    }

    public ErrorPolicy defaultErrorPolicy() {
        return ErrorPolicy.parse(getString(TABLE_ERROR_POLICY));
    }

    public Map<String, ErrorPolicy> errorPolicyOverrides() {
        return MapEntries.parse(TABLE_ERROR_POLICY_OVERRIDES, getList(TABLE_ERROR_POLICY_OVERRIDES)).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ErrorPolicy.parse(e.getValue()),
                        (a, b) -> a, java.util.LinkedHashMap::new));
    }

    public PerTable<ConsistencyMode> consistencyModes() {
        return new PerTable<>(ConsistencyMode.parse(getString(CONSISTENCY_MODE)),
                MapEntries.parse(CONSISTENCY_MODE_OVERRIDES, getList(CONSISTENCY_MODE_OVERRIDES)).entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> ConsistencyMode.parse(e.getValue()),
                                (a, b) -> a, java.util.LinkedHashMap::new)));
    }

    public long lifecyclePollIntervalMs() {
        return getLong(LIFECYCLE_POLL_INTERVAL_MS);
    }

    public long iterationApplyTimeoutMs() {
        return getLong(ITERATION_APPLY_TIMEOUT_MS);
    }

    public long retryMaxDurationMs() {
        return getLong(RETRY_MAX_DURATION_MS);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    public long retryBackoffMaxMs() {
        return getLong(RETRY_BACKOFF_MAX_MS);
    }

    public String unavailableValuePlaceholder() {
        return getString(UNAVAILABLE_VALUE_PLACEHOLDER);
    }

    public String licenseKey() {
        Password key = getPassword(LICENSE_KEY);
        return key == null || key.value() == null || key.value().isBlank() ? null : key.value().trim();
    }

    public String sourceType() {
        return getString(SOURCE_TYPE);
    }

    public double licenseWarnThreshold() {
        return getDouble(LICENSE_WARN_THRESHOLD);
    }

    /** The connector's {@code topics} list; empty with {@code topics.regex}. */
    public static List<String> listedTopics(Map<String, String> connectorConfigs) {
        String topics = connectorConfigs.get(SinkConnector.TOPICS_CONFIG);
        if (topics == null || topics.isBlank()) {
            return List.of();
        }
        return Arrays.stream(topics.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** Source names to target names, as the renames and the name case say. */
    public NameMapper nameMapper() {
        return new NameMapper(nameCase(), targetSchema(), schemaRenames(), tableRenames(), columnRenames());
    }
}
