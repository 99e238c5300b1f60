package io.tidemark.control.project;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidemark.sink.SinkPrecheck;

/**
 * Reads project descriptors ({@code project.json}, docs/control-api.md; its JSON Schema is
 * {@code project.schema.json} beside this class) and the connector files they name. Unknown keys are
 * refused ({@link DescriptorKeys}); references resolve through Kafka's config providers ({@link Secrets}). Whatever the descriptor leaves out is taken from the connector files: the target database
 * from the sink's {@code connection.*}, the source database and the request table from the source's
 * {@code database.*}, {@code topic.prefix} and {@code iteration.*}.
 */
public final class ProjectFiles {

    public static final String DESCRIPTOR = "project.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Secrets secrets;

    public ProjectFiles(Secrets secrets) {
        this.secrets = secrets;
    }

    /** Every {@code DIR/<name>/project.json}, or DIR itself when it holds a project.json. */
    public Map<String, Project> loadAll(Path dir) {
        Map<String, Project> projects = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve(DESCRIPTOR))) {
            files.add(dir.resolve(DESCRIPTOR));
        } else {
            try (Stream<Path> children = Files.list(dir)) {
                children.sorted().map(p -> p.resolve(DESCRIPTOR)).filter(Files::isRegularFile).forEach(files::add);
            } catch (IOException e) {
                throw new ProjectException("cannot list the projects directory " + dir + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        if (files.isEmpty()) {
            throw new ProjectException("no project in " + dir + ": each project is a directory with a " + DESCRIPTOR);
        }
        for (Path file : files) {
            Project p = load(file);
            if (projects.putIfAbsent(p.name(), p) != null) {
                throw new ProjectException("two projects are named " + p.name() + " (" + file + ")");
            }
        }
        return projects;
    }

    public Project load(Path descriptor) {
        JsonNode d = readJson(descriptor);
        Path dir = descriptor.toAbsolutePath().getParent();
        String name = text(d, "name", descriptor.getParent().getFileName().toString());
        String where = "project " + name + " (" + descriptor + ")";
        DescriptorKeys.check(d, where);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new ProjectException(where + ": name '" + name + "' must be 1-63 of A-Z a-z 0-9 . _ - (it is part of URLs)");
        }
        Secrets.Resolver secrets = this.secrets.resolver(providers(d.path("configProviders")), where);
        ConnectorFile source = connector(d, "source", dir, where);
        ConnectorFile sink = connector(d, "sink", dir, where);

        JsonNode c = d.path("connect");
        List<URI> urls = new ArrayList<>();
        // ${env:...} works here too: the quickstart's descriptor takes its worker's URL from the environment.
        c.path("urls").forEach(u -> urls.add(URI.create(stripSlash(secrets.resolve(u.asText(), where + ": connect.urls")))));
        if (urls.isEmpty()) {
            throw new ProjectException(where + ": connect.urls is missing: give the REST URL of one or more Connect "
                    + "workers, e.g. [\"http://connect:8083\"]");
        }
        Path ca = c.hasNonNull("caFile") ? dir.resolve(c.get("caFile").asText()) : null;
        ConnectSettings connect = new ConnectSettings(List.copyOf(urls), secret(secrets, c, "username", where + ": connect"),
                secret(secrets, c, "password", where + ": connect"), ca,
                Duration.ofSeconds(c.path("timeoutSeconds").asLong(10)));

        SinkPrecheck sinkView;
        try {
            sinkView = new SinkPrecheck(resolvedWherePossible(secrets, sink.config()));
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new ProjectException(where + ": the sink connector file " + sink.file() + " is not valid: "
                    + e.getMessage());
        }
        DatabaseSettings target = database(secrets, d.path("targetDatabase"), sink.get("connection.url", null),
                sink.get("connection.user", null), sink.get("connection.password", null), where + ": targetDatabase",
                "the sink's connection.*");
        DatabaseSettings sourceDb = database(secrets, d.path("sourceDatabase"), sourceUrl(source),
                source.get("database.user", null), source.get("database.password", null), where + ": sourceDatabase",
                "the source's database.*");

        String stream = source.get("topic.prefix", null);
        String iterationSchema = source.get("iteration.schema", null);
        if (stream == null || iterationSchema == null) {
            throw new ProjectException(where + ": the source connector file " + source.file() + " needs topic.prefix "
                    + "and iteration.schema (docs/source.md)");
        }
        Project.RequestTable requests = new Project.RequestTable(iterationSchema,
                source.get("iteration.request.table", "tidemark_iteration_request"),
                source.get("iteration.table", "tidemark_iteration"), stream);

        Map<String, String> kafka = null;
        if (d.has("kafka")) {
            kafka = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = d.get("kafka").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                kafka.put(e.getKey(), secrets.resolve(e.getValue().asText(), where + ": kafka." + e.getKey()));
            }
        }
        StrimziSettings strimzi = null;
        if (d.has("strimzi")) {
            JsonNode s = d.get("strimzi");
            if (s.hasNonNull("context") && !s.hasNonNull("kubeconfig")) {
                throw new ProjectException(where + ": strimzi.context names a context of strimzi.kubeconfig, which is "
                        + "not set (in a pod, without a kubeconfig, the service account is used)");
            }
            strimzi = new StrimziSettings(text(s, "namespace", "default"),
                    s.hasNonNull("kubeconfig") ? dir.resolve(s.get("kubeconfig").asText()) : null,
                    text(s, "context", null));
        }
        return new Project(name, connect, source, sink, sinkView, sourceDb, target, sinkView.controlSchema(),
                sinkView.projectName(sink.name()), requests, kafka, strimzi,
                Duration.ofSeconds(d.path("waitSeconds").asLong(120)));
    }

    private ConnectorFile connector(JsonNode d, String role, Path dir, String where) {
        JsonNode c = d.path(role);
        if (!c.hasNonNull("name") || !c.hasNonNull("config")) {
            throw new ProjectException(where + ": " + role + ".name and " + role + ".config (the connector's JSON file, "
                    + "the body of PUT /connectors/{name}/config) are required");
        }
        Path file = dir.resolve(c.get("config").asText());
        JsonNode body = readJson(file);
        if (body.has("config") && body.get("config").isObject()) {
            body = body.get("config"); // a POST /connectors body {"name": …, "config": {…}} works too
        }
        Map<String, String> config = new LinkedHashMap<>();
        body.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                : e.getValue().toString()));
        if (!config.containsKey("connector.class")) {
            throw new ProjectException(where + ": " + file + " has no connector.class");
        }
        return new ConnectorFile(c.get("name").asText(), file, Map.copyOf(config));
    }

    /** The descriptor's {@code configProviders}: name → class and params, as a worker's {@code config.providers}. */
    private static Map<String, Secrets.ProviderSpec> providers(JsonNode node) {
        Map<String, Secrets.ProviderSpec> specs = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            Map<String, String> params = new LinkedHashMap<>();
            e.getValue().path("params").fields().forEachRemaining(p -> params.put(p.getKey(), p.getValue().asText()));
            specs.put(e.getKey(), new Secrets.ProviderSpec(e.getValue().path("class").asText(), params));
        });
        return specs;
    }

    private static DatabaseSettings database(Secrets.Resolver secrets, JsonNode node, String url, String user,
                                             String password, String where, String fromWhat) {
        String u = node.hasNonNull("url") ? node.get("url").asText() : url;
        String usr = node.hasNonNull("user") ? node.get("user").asText() : user;
        String pw = node.has("password") ? node.get("password").asText() : password;
        if (u == null) {
            throw new ProjectException(where + ".url is missing and " + fromWhat + " does not give it");
        }
        for (String[] v : new String[][] {{"url", u}, {"user", usr}, {"password", pw}}) {
            if (secrets.hasForeignReference(v[1])) {
                throw new ProjectException(where + "." + v[0] + " comes from " + fromWhat + " as '" + v[1] + "', a "
                        + "reference only the Connect worker resolves: give " + where + "." + v[0]
                        + " in the project descriptor (e.g. \"${env:NAME}\" or \"${file:/path/secrets.properties:key}\")");
            }
        }
        return new DatabaseSettings(secrets.resolve(u, where + ".url"), secrets.resolve(usr, where + ".user"),
                secrets.resolve(pw, where + ".password"));
    }

    /**
     * The connector's settings with the references this host can resolve resolved (the sink's
     * {@code connection.url} often is {@code ${env:...}}); the others, a worker's
     * {@code ${file:...}} on a path only it has, stay as they are.
     */
    private static Map<String, String> resolvedWherePossible(Secrets.Resolver secrets, Map<String, String> config) {
        Map<String, String> resolved = new LinkedHashMap<>();
        config.forEach((key, value) -> resolved.put(key, resolvedWherePossible(secrets, key, value)));
        return resolved;
    }

    private static String resolvedWherePossible(Secrets.Resolver secrets, String key, String value) {
        if (value == null || !value.contains("${") || secrets.hasForeignReference(value)) {
            return value;
        }
        try {
            return secrets.resolve(value, key);
        } catch (ProjectException e) {
            return value; // resolved where it is used, or reported there
        }
    }

    private static String sourceUrl(ConnectorFile source) {
        String cls = source.connectorClass();
        String host = source.get("database.hostname", null);
        String port = source.get("database.port", null);
        if (cls.endsWith("OracleConnector")) {
            if (source.get("database.url", null) != null) {
                return source.get("database.url", null);
            }
            String service = source.get("database.pdb.name", source.get("database.dbname", null));
            return host == null ? null : "jdbc:oracle:thin:@//" + host + ":" + (port == null ? "1521" : port) + "/" + service;
        }
        return host == null ? null : "jdbc:postgresql://" + host + ":" + (port == null ? "5432" : port) + "/"
                + source.get("database.dbname", "postgres");
    }

    private static String secret(Secrets.Resolver secrets, JsonNode node, String field, String where) {
        return node.hasNonNull(field) ? secrets.resolve(node.get(field).asText(), where + "." + field) : null;
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node.hasNonNull(field) ? node.get(field).asText() : fallback;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ProjectException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
