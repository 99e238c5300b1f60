package io.tidemark.control.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.tidemark.control.project.ConnectSettings;
import io.tidemark.control.project.ConnectorFile;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.control.project.Project;
import io.tidemark.control.project.StrimziSettings;
import io.tidemark.sink.SinkPrecheck;

/** Projects for tests that need no database: a Connect URL, connector names, nothing reachable behind them. */
public final class TestProjects {

    private TestProjects() {
    }

    public static Project project(String name, URI connect, StrimziSettings strimzi) {
        return project(name, connect, strimzi, Duration.ofSeconds(2));
    }

    /** @param connectTimeout Connect's connect timeout; a request may take three times as long */
    public static Project project(String name, URI connect, StrimziSettings strimzi, Duration connectTimeout) {
        ConnectorFile source = new ConnectorFile(name + "-source", Path.of("source.json"),
                Map.of("connector.class", "io.tidemark.source.TidemarkPostgresConnector", "topic.prefix", name,
                        "iteration.schema", "tidemark_" + name));
        ConnectorFile sink = new ConnectorFile(name + "-sink", Path.of("sink.json"),
                Map.of("connector.class", "io.tidemark.sink.PostgresSinkConnector", "topics", name + ".public.x",
                        "connection.url", "jdbc:postgresql://127.0.0.1:1/none"));
        DatabaseSettings nowhere = new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/none", "u", "p");
        return new Project(name, new ConnectSettings(List.of(connect), null, null, null, connectTimeout), source, sink,
                new SinkPrecheck(sink.config()), nowhere, nowhere, "tidemark", name,
                new Project.RequestTable("tidemark_" + name, "tidemark_iteration_request", "tidemark_iteration", name),
                null, strimzi, Duration.ofSeconds(5));
    }
}
