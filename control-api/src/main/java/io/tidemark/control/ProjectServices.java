package io.tidemark.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import io.tidemark.control.audit.AuditStore;
import io.tidemark.control.connect.ConnectClient;
import io.tidemark.control.connect.ConnectorLifecycle;
import io.tidemark.control.project.DatabasePool;
import io.tidemark.control.project.Project;
import io.tidemark.control.source.SourceRequests;
import io.tidemark.control.status.KafkaLag;
import io.tidemark.control.strimzi.KafkaConnectors;
import io.tidemark.control.strimzi.StrimziLifecycle;
import io.tidemark.control.store.ControlStore;
import io.tidemark.control.verify.TopicKeys;

/**
 * What the API uses to act on one project: Connect, the lifecycle owner, the control schema (through
 * a small connection pool), the source's request table, the audit table.
 */
public final class ProjectServices implements AutoCloseable {

    private final Project project;
    private final ConnectClient connect;
    private final ConnectorLifecycle lifecycle;
    private final ControlStore control;
    private final AuditStore audit;
    private final DatabasePool targetPool;
    private final DatabasePool sourcePool;
    private final SourceRequests requests;
    private final KafkaLag lag;

    public ProjectServices(Project project, ConnectClient connect, ConnectorLifecycle lifecycle) {
        this.project = project;
        this.connect = connect;
        this.lifecycle = lifecycle;
        this.control = new ControlStore(project.controlSchema(), project.controlProject());
        this.audit = new AuditStore(project.controlSchema());
        this.targetPool = new DatabasePool(project.targetDatabase(), project.name() + "-target", 4);
        this.sourcePool = new DatabasePool(project.sourceDatabase(), project.name() + "-source", 2);
        this.requests = new SourceRequests(sourcePool, project.requestTable());
        this.lag = project.kafka() == null ? null : new KafkaLag(project.kafka());
    }

    /** REST, or Strimzi's {@code spec.state} where the project says its connectors are KafkaConnector resources. */
    public static ProjectServices of(Project project, Map<String, String> env) {
        ConnectClient connect = new ConnectClient(project.connect());
        ConnectorLifecycle lifecycle = project.strimzi() == null ? ConnectorLifecycle.rest(connect)
                : new StrimziLifecycle(project.strimzi(), KafkaConnectors.discover(project.strimzi(), env));
        return new ProjectServices(project, connect, lifecycle);
    }

    public Project project() {
        return project;
    }

    public ConnectClient connect() {
        return connect;
    }

    public ConnectorLifecycle lifecycle() {
        return lifecycle;
    }

    public ControlStore control() {
        return control;
    }

    public AuditStore audit() {
        return audit;
    }

    public SourceRequests requests() {
        return requests;
    }

    /** Null when the project gives no Kafka settings. */
    public KafkaLag lag() {
        return lag;
    }

    /**
     * Where {@code verify --changed-since} reads the keys of changes back: the project's Kafka, with the sink's key
     * converter as Connect holds its configuration (the project's file when Connect does not answer); null when the
     * project gives no Kafka settings. The caller closes it.
     */
    public TopicKeys topicKeys() {
        if (project.kafka() == null) {
            return null;
        }
        Map<String, String> sink;
        try {
            sink = connect.config(project.sink().name()).orElse(project.sink().config());
        } catch (ControlException e) {
            sink = project.sink().config();
        }
        return new TopicKeys(project.kafka(), sink);
    }

    /** A pooled connection to the target database; a database that does not answer is 503, and nothing changed. */
    public Connection target() {
        try {
            return targetPool.connection();
        } catch (SQLException e) {
            throw new ControlException(ControlException.Kind.UNAVAILABLE, "the target database " + project.targetDatabase()
                    + " does not answer (" + DatabasePool.describe(e) + "; the control API's log has the driver's "
                    + "words). Check targetDatabase of project " + project.name());
        }
    }

    /** A pooled connection to the source database (the request table). */
    public Connection source() throws SQLException {
        return sourcePool.connection();
    }

    @Override
    public void close() {
        if (lag != null) {
            lag.close();
        }
        lifecycle.close();
        targetPool.close();
        sourcePool.close();
    }
}
