package io.tidemark.quickstart.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import io.tidemark.quickstart.QuickstartException;

/**
 * The demo source without Oracle: a database of its own on the demo's PostgreSQL, read by
 * {@code TidemarkPostgresConnector} (Debezium's pgoutput) through a replication slot named after
 * the database.
 */
public final class PostgresDemoSource implements DemoSource {

    private final PostgresInstance server;
    private final String database;

    public PostgresDemoSource(PostgresInstance server, String database) {
        this.server = server;
        this.database = database;
    }

    @Override
    public String project() {
        return "demo";
    }

    @Override
    public DemoDialect dialect() {
        return DemoDialect.postgres();
    }

    @Override
    public String describe() {
        return server.urlOf(database) + " (PostgreSQL; schema shop, 4 tables, a live workload)";
    }

    @Override
    public long prepare(Workload seed) throws SQLException {
        long holder = server.activeSlotPid(database);
        if (holder != 0) {
            throw new QuickstartException("database " + database + " is being read through a replication slot (by the"
                    + " session with pid " + holder + "): another quickstart runs with it. Stop that one first, or give"
                    + " this one --database-prefix with another name");
        }
        server.recreateDatabase(database);
        try (Connection c = connect()) {
            return DemoSource.createAndSeed(c, dialect(), seed);
        }
    }

    @Override
    public Connection connect() throws SQLException {
        return server.connect(database);
    }

    @Override
    public Map<String, String> workerEnv() {
        return Map.of("TIDEMARK_DEMO_SOURCE_DB", database, "TIDEMARK_DEMO_SLOT", database);
    }

    /**
     * The demo source keeps its slot on stop ({@code slot.drop.on.stop=false}: a stop and a start
     * through the control API resume from it); the quickstart drops it here, once the worker is
     * gone and PostgreSQL has seen its connection close.
     */
    @Override
    public String cleanUp() {
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (server.activeSlotPid(database) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            int dropped = server.dropInactiveSlots(database);
            long active = server.activeSlotPid(database);
            if (active != 0) {
                return "the replication slot of " + database + " is still held by the session with pid " + active
                        + ": SELECT pg_terminate_backend(" + active + "), then drop it";
            }
            return dropped == 0 ? null : "dropped " + dropped + " replication slot(s) of " + database;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (SQLException e) {
            return "could not check the replication slots of " + database + " (" + e.getMessage()
                    + "): SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
                    + database + "' AND NOT active";
        }
    }
}
