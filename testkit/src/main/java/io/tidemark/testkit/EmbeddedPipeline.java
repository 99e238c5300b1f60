package io.tidemark.testkit;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's environment: a throwaway PostgreSQL database and an embedded Kafka Connect
 * cluster, started before the class's tests and stopped after them (the cluster first, so that
 * replication slots are inactive when the database is dropped). Register it as
 * {@code @RegisterExtension static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("x");}.
 */
public final class EmbeddedPipeline implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private final UnaryOperator<ConnectTestCluster.Builder> cluster;
    private PostgresTestDatabase db;
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
        if (db != null) {
            db.close();
        }
    }

    public PostgresTestDatabase db() {
        return db;
    }

    public ConnectTestCluster connect() {
        return connect;
    }
}
