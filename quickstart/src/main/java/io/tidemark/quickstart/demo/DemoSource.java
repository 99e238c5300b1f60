package io.tidemark.quickstart.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The database the demo migrates from: a second PostgreSQL database, or Oracle when the
 * {@code ORACLE_*} environment variables say where one is. Each names its project directory of
 * connector files ({@code config/connectors/<project>/}) and gives the values of the
 * {@code ${env:TIDEMARK_DEMO_*}} placeholders those files use.
 */
public interface DemoSource {

    /** Debezium's topic prefix in the demo's connector files. */
    String TOPIC_PREFIX = "demo";

    String project();

    DemoDialect dialect();

    /** One line for the table of where things are. */
    String describe();

    /** Drops what an earlier run left, creates the demo tables and fills them; returns the rows written. */
    long prepare(Workload seed) throws SQLException;

    /** A connection for the workload. */
    Connection connect() throws SQLException;

    /** Environment of the Connect worker: the source file's placeholders. */
    Map<String, String> workerEnv();

    /** Cleans up after the worker stopped (a replication slot left behind); returns what it did, or null. */
    String cleanUp();

    default List<String> topics() {
        return DemoDialect.TABLES.stream().map(t -> dialect().topic(TOPIC_PREFIX, t)).toList();
    }

    /** Seeds the fresh tables through {@link Workload#seed}. */
    static long createAndSeed(Connection c, DemoDialect dialect, Workload workload) throws SQLException {
        try (var st = c.createStatement()) {
            for (String ddl : dialect.recreate()) {
                st.execute(ddl);
            }
        }
        return workload.seed(c);
    }
}
