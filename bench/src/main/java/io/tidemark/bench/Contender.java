package io.tidemark.bench;

import java.util.HashMap;
import java.util.Map;

import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * The sinks compared, with the configuration each runs with. Both real sinks create their tables
 * themselves, upsert by the record key, apply deletes, and commit with the server's default
 * {@code synchronous_commit}.
 */
enum Contender {

    TIDEMARK("io.tidemark.sink.PostgresSinkConnector") {
        @Override
        Map<String, String> config(PostgresTestDatabase db, String topic, String table, Settings s) {
            Map<String, String> c = new HashMap<>();
            // -Dbench.tidemark.url.suffix=?options=... passes server settings (e.g. statement logging, to profile)
            c.put("connection.url", db.jdbcUrl() + System.getProperty("bench.tidemark.url.suffix", ""));
            c.put("connection.user", db.user());
            c.put("connection.password", db.password());
            c.put("project.name", PROJECT);
            c.put("license.key", TestLicenses.generous(PROJECT));
            c.put("batch.size", Integer.toString(s.tidemarkBatch()));
            // The tail of a run (a batch that does not fill) waits this long before it is applied.
            c.put("batch.max.wait.ms", "200");
            // -Dbench.tidemark.config=key=value,... overrides, to measure one setting against another
            for (String kv : System.getProperty("bench.tidemark.config", "").split(",")) {
                if (kv.contains("=")) {
                    c.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
            }
            return c;
        }

        @Override
        String targetTable(String table) {
            return "bench." + table;
        }
    },

    DEBEZIUM("io.debezium.connector.jdbc.JdbcSinkConnector") {
        @Override
        Map<String, String> config(PostgresTestDatabase db, String topic, String table, Settings s) {
            Map<String, String> c = new HashMap<>();
            // pgjdbc's batch rewrite turns its JDBC batch of upserts into multi-row statements.
            c.put("connection.url", db.jdbcUrl() + (REWRITE_BATCHED ? "?reWriteBatchedInserts=true" : ""));
            c.put("connection.username", db.user());
            c.put("connection.password", db.password());
            c.put("insert.mode", "upsert");
            c.put("delete.enabled", "true");
            c.put("primary.key.mode", "record_key");
            c.put("schema.evolution", "basic");
            c.put("collection.name.format", table);
            // Its fastest documented settings: collapse a batch by key, and batches as large as what
            // one poll hands it (it flushes every put). Its unnest() insert would be faster still but
            // fails on this table: pgjdbc cannot bind the RAW column's byte[] inside an array
            // ("byte[] nested inside Object[]"), see docs/performance.md.
            c.put("use.reduction.buffer", "true");
            c.put("dialect.postgres.unnest.insert.enabled", Boolean.toString(UNNEST));
            c.put("batch.size", Integer.toString(s.maxPollRecords()));
            return c;
        }

        @Override
        String targetTable(String table) {
            return "public." + table;
        }
    },

    FLOOR("io.tidemark.bench.FloorSinkConnector") {
        @Override
        Map<String, String> config(PostgresTestDatabase db, String topic, String table, Settings s) {
            return new HashMap<>();
        }

        @Override
        String targetTable(String table) {
            return null;
        }
    };

    static final String PROJECT = "bench";
    static final boolean UNNEST = Boolean.getBoolean("bench.debezium.unnest");
    static final boolean REWRITE_BATCHED = Boolean.parseBoolean(System.getProperty("bench.debezium.rewrite", "true"));

    /** Batch settings shared by the runs. */
    record Settings(int maxPollRecords, int tidemarkBatch) {
    }

    final String connectorClass;

    Contender(String connectorClass) {
        this.connectorClass = connectorClass;
    }

    abstract Map<String, String> config(PostgresTestDatabase db, String topic, String table, Settings s);

    /** Where the rows land ({@code table} is the source table name in lower case), null for the floor. */
    abstract String targetTable(String table);

    String label() {
        return name().toLowerCase();
    }

    /** The connector configuration as it is PUT to Connect: the sink's own keys and the common ones. */
    Map<String, String> connectorConfig(PostgresTestDatabase db, String topic, String table, int tasks, Settings s,
                                        BenchConverter converter) {
        Map<String, String> c = config(db, topic, table, s);
        c.put("connector.class", connectorClass);
        c.put("tasks.max", Integer.toString(tasks));
        c.put("topics", topic);
        c.putAll(converter.connectorConfig());
        c.put("consumer.override.max.poll.records", Integer.toString(s.maxPollRecords()));
        // A record with its schema is ~8 KB of JSON: let one fetch carry a whole poll.
        c.put("consumer.override.max.partition.fetch.bytes", Integer.toString(64 << 20));
        c.put("consumer.override.fetch.max.bytes", Integer.toString(128 << 20));
        return c;
    }
}
