package io.tidemark.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's environment: a throwaway PostgreSQL database and an embedded Kafka Connect
 * cluster, started before the class's tests and stopped after them (the cluster first, so that
 * replication slots are inactive when the database is dropped), and any more databases the class
 * asks for with {@link #database}, dropped with the first. Register it as
 * {@code @RegisterExtension static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("x");}.
 */
public final class EmbeddedPipeline implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private final UnaryOperator<ConnectTestCluster.Builder> cluster;
    private PostgresTestDatabase db;
    private final List<PostgresTestDatabase> databases = new ArrayList<>();
    private ConnectTestCluster connect;

    private EmbeddedPipeline(String name, UnaryOperator<ConnectTestCluster.Builder> cluster) {
        this.name = name;
        this.cluster = cluster;
    }

    public static EmbeddedPipeline named(String name) {
        return new EmbeddedPipeline(name, UnaryOperator.identity());
    }

    /** The same, with the cluster configured further (workers, worker properties). */
    public EmbeddedPipeline cluster(UnaryOperator<ConnectTestCluster.Builder> settings) {
        return new EmbeddedPipeline(name, settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        db = PostgresTestDatabase.create(name.replace('-', '_'));
        connect = cluster.apply(ConnectTestCluster.builder(name)).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (connect != null) {
            connect.close();
        }
        databases.forEach(PostgresTestDatabase::close);
        databases.clear();
        if (db != null) {
            db.close();
        }
    }

    public PostgresTestDatabase db() {
        return db;
    }

    /**
     * One more throwaway database (a source beside the target {@link #db()}, say), whose name
     * starts with {@code tm_<prefix>_}: dropped in afterAll after the cluster stopped, so not while
     * a connector of the class still streams from it or writes to it. From {@code @BeforeAll} or a test.
     */
    public PostgresTestDatabase database(String prefix) {
        PostgresTestDatabase database = PostgresTestDatabase.create(prefix);
        databases.add(database);
        return database;
    }

    public ConnectTestCluster connect() {
        return connect;
    }
}
