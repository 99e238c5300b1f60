package io.tidemark.control;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import io.tidemark.control.connect.ConnectClient;
import io.tidemark.control.connect.ConnectorLifecycle;
import io.tidemark.control.project.Project;
import io.tidemark.control.source.SourceRequests;
import io.tidemark.control.status.KafkaLag;
import io.tidemark.control.strimzi.KubernetesApi;
import io.tidemark.control.strimzi.StrimziLifecycle;
import io.tidemark.control.store.ControlStore;

/** What the API uses to act on one project: Connect, the lifecycle owner, the control schema, the source. */
public final class ProjectServices implements AutoCloseable {

    private final Project project;
    private final ConnectClient connect;
    private final ConnectorLifecycle lifecycle;
    private final ControlStore control;
    private final SourceRequests requests;
    private final KafkaLag lag;

    public ProjectServices(Project project, ConnectClient connect, ConnectorLifecycle lifecycle) {
        this.project = project;
        this.connect = connect;
        this.lifecycle = lifecycle;
        this.control = new ControlStore(project.controlSchema(), project.controlProject());
        this.requests = new SourceRequests(project.sourceDatabase(), project.requestTable());
        this.lag = project.kafka() == null ? null : new KafkaLag(project.kafka());
    }

    /** REST, or Strimzi's {@code spec.state} where the project says its connectors are KafkaConnector resources. */
    public static ProjectServices of(Project project, Map<String, String> env) {
        ConnectClient connect = new ConnectClient(project.connect());
        ConnectorLifecycle lifecycle = project.strimzi() == null ? ConnectorLifecycle.rest(connect)
                : new StrimziLifecycle(project.strimzi(), KubernetesApi.discover(project.strimzi().kubeconfig(), env));
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

    public SourceRequests requests() {
        return requests;
    }

    /** Null when the project gives no Kafka settings. */
    public KafkaLag lag() {
        return lag;
    }

    /** A connection to the target database; a database that does not answer is 503, and nothing changed. */
    public Connection target() {
        try {
            return project.targetDatabase().connect();
        } catch (SQLException e) {
            throw new ControlException(ControlException.Kind.UNAVAILABLE, "the target database " + project.targetDatabase()
                    + " does not answer: " + e.getMessage().strip() + ". Check targetDatabase of project "
                    + project.name());
        }
    }

    @Override
    public void close() {
        if (lag != null) {
            lag.close();
        }
    }
}
