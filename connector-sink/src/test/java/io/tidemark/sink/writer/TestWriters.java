package io.tidemark.sink.writer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.config.ErrorPolicy;
import io.tidemark.sink.naming.NameCase;
import io.tidemark.sink.config.PerTable;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.errors.RetryPolicy;
import io.tidemark.sink.flush.ConnectionFactory;
import io.tidemark.sink.flush.ErrorPolicies;
import io.tidemark.sink.flush.FlushGuard;
import io.tidemark.sink.naming.NameMapper;
import io.tidemark.sink.schema.TableModels;
import io.tidemark.sink.types.ColumnTypes;
import io.tidemark.testkit.PostgresTestDatabase;

/** Writers for tests: a real SinkWriter against a test database, with the settings a test names. */
public final class TestWriters {

    private TestWriters() {
    }

    public static Builder against(PostgresTestDatabase db) {
        return new Builder(db);
    }

    /** Plain connections to the test database, with the session settings the sink's own factory makes. */
    public static ConnectionFactory connections(String jdbcUrl, String user, String password, long lockTimeoutMs) {
        return () -> {
            Connection c = DriverManager.getConnection(jdbcUrl, user, password);
            try (Statement st = c.createStatement()) {
                st.execute("SET TIME ZONE 'UTC'; SET lock_timeout = " + lockTimeoutMs);
            }
            c.setAutoCommit(false);
            return c;
        };
    }

    public static final class Builder {
        private final PostgresTestDatabase db;
        private String connector = "sink";
        private String task = "0";
        private String project = "proj";
        private String controlSchema = "tidemark";
        private int batchSize = 1000;
        private long batchMaxWaitMs = 60_000;
        /** 0: no caught-up apply, a batch waits for batch.max.wait.ms or a commit point (as the tests expect). */
        private int maxPollRecords = 0;
        private long batchMaxBytes = 64L << 20;
        private ErrorPolicy policy = ErrorPolicy.FAIL;
        private Map<String, ErrorPolicy> overrides = Map.of();
        private boolean autoCreate = true;
        private boolean autoEvolve = true;
        private RetryPolicy retry = new RetryPolicy(20_000, 50, 500);
        private long resumeCheckIntervalMs = 100;
        private long flushMaxWaitMs = 60_000;
        private ConnectionFactory connections;
        private ConsumerControl consumer = new RecordingConsumer();
        private FlushGuard guard;
        private NameMapper names = new NameMapper(NameCase.LOWER, null, Map.of(), Map.of(), Map.of());
        private ConsistencyMode mode = ConsistencyMode.PARTIAL;
        private Map<String, ConsistencyMode> modeOverrides = Map.of();
        private long lifecyclePollIntervalMs = 200;
        private List<String> topics = List.of();
        private long iterationApplyTimeoutMs = 3_600_000;

        private Builder(PostgresTestDatabase db) {
            this.db = db;
            this.connections = TestWriters.connections(db.jdbcUrl(), db.user(), db.password(), 10_000);
        }

        public Builder connector(String name) {
            this.connector = name;
            return this;
        }

        public Builder task(String task) {
            this.task = task;
            return this;
        }

        public Builder project(String project) {
            this.project = project;
            return this;
        }

        public Builder controlSchema(String schema) {
            this.controlSchema = schema;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder batchMaxBytes(long bytes) {
            this.batchMaxBytes = bytes;
            return this;
        }

        /** The consumer's max.poll.records: a put with fewer records is a caught-up poll. */
        public Builder maxPollRecords(int records) {
            this.maxPollRecords = records;
            return this;
        }

        public Builder batchMaxWaitMs(long ms) {
            this.batchMaxWaitMs = ms;
            return this;
        }

        public Builder policy(ErrorPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder overrides(Map<String, ErrorPolicy> overrides) {
            this.overrides = overrides;
            return this;
        }

        public Builder autoCreate(boolean autoCreate) {
            this.autoCreate = autoCreate;
            return this;
        }

        public Builder autoEvolve(boolean autoEvolve) {
            this.autoEvolve = autoEvolve;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        public Builder resumeCheckIntervalMs(long ms) {
            this.resumeCheckIntervalMs = ms;
            return this;
        }

        public Builder flushMaxWaitMs(long ms) {
            this.flushMaxWaitMs = ms;
            return this;
        }

        public Builder connections(ConnectionFactory connections) {
            this.connections = connections;
            return this;
        }

        public Builder consumer(ConsumerControl consumer) {
            this.consumer = consumer;
            return this;
        }

        public Builder guard(FlushGuard guard) {
            this.guard = guard;
            return this;
        }

        public Builder mode(ConsistencyMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder modeOverrides(Map<String, ConsistencyMode> overrides) {
            this.modeOverrides = overrides;
            return this;
        }

        public Builder lifecyclePollIntervalMs(long ms) {
            this.lifecyclePollIntervalMs = ms;
            return this;
        }

        /** The connector's {@code topics} list (default: none, as with {@code topics.regex}). */
        public Builder topics(String... topics) {
            this.topics = List.of(topics);
            return this;
        }

        /** The statement timeout of a FULL iteration's apply (iteration.apply.timeout.ms). */
        public Builder iterationApplyTimeoutMs(long ms) {
            this.iterationApplyTimeoutMs = ms;
            return this;
        }

        /** The lock_timeout of the test database's sessions (default 10 s). */
        public Builder lockTimeoutMs(long ms) {
            this.connections = TestWriters.connections(db.jdbcUrl(), db.user(), db.password(), ms);
            return this;
        }

        public Builder names(NameMapper names) {
            this.names = names;
            return this;
        }

        /** Builds and starts the writer. */
        public SinkWriter start() {
            WriterSettings settings = new WriterSettings(connector, task, batchSize, batchMaxBytes, batchMaxWaitMs, maxPollRecords, retry,
                    "__debezium_unavailable_value", autoCreate, autoEvolve, resumeCheckIntervalMs, flushMaxWaitMs,
                    new PerTable<>(mode, modeOverrides), lifecyclePollIntervalMs, iterationApplyTimeoutMs, topics);
            SinkWriter writer = new SinkWriter(settings, connections, new ControlSchema(controlSchema), project,
                    new TableModels(names, ColumnTypes.standard()), new ErrorPolicies(policy, overrides), consumer,
                    guard);
            writer.start();
            return writer;
        }
    }
}
