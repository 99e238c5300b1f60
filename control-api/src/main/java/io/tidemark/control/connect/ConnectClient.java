package io.tidemark.control.connect;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidemark.control.ControlException;
import io.tidemark.control.Tls;
import io.tidemark.control.project.ConnectSettings;

/**
 * Kafka Connect's REST API. Any worker answers (followers forward to the leader), so the URLs are
 * tried in order and the first that answers is kept. A cluster none of whose URLs answers is
 * {@code UNAVAILABLE} (503); one that answers with a server error is {@code UPSTREAM} (502), with
 * Connect's own message.
 */
public final class ConnectClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer of Connect: its status code and its JSON body (null when empty). */
    public record Response(int status, JsonNode body) {
        String message() {
            return body != null && body.hasNonNull("message") ? body.get("message").asText() : String.valueOf(body);
        }
    }

    private final ConnectSettings settings;
    private final HttpClient http;
    private volatile int preferred;

    public ConnectClient(ConnectSettings settings) {
        this.settings = settings;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(settings.timeout());
        if (settings.caFile() != null) {
            b.sslContext(trusting(settings));
        }
        this.http = b.build();
    }

    public List<URI> urls() {
        return settings.urls();
    }

    public Optional<ConnectorState> status(String connector) {
        Response r = call("GET", "/connectors/" + enc(connector) + "/status", null);
        if (r.status() == 404) {
            return Optional.empty();
        }
        expect(r, "GET /connectors/" + connector + "/status", 200);
        JsonNode b = r.body();
        List<ConnectorState.TaskState> tasks = new ArrayList<>();
        b.path("tasks").forEach(t -> tasks.add(new ConnectorState.TaskState(t.path("id").asInt(),
                t.path("state").asText(), t.path("worker_id").asText(null), t.path("trace").asText(null))));
        JsonNode c = b.path("connector");
        return Optional.of(new ConnectorState(connector, c.path("state").asText(), c.path("worker_id").asText(null),
                c.path("trace").asText(null), tasks));
    }

    /** {@code GET /connectors/{name}/config}: the connector's configuration as Connect holds it; empty when unknown. */
    public Optional<Map<String, String>> config(String connector) {
        String path = "/connectors/" + enc(connector) + "/config";
        Response r = call("GET", path, null);
        if (r.status() == 404) {
            return Optional.empty();
        }
        expect(r, "GET " + path, 200);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        r.body().fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return Optional.of(out);
    }

    /** {@code PUT /connectors/{name}/config}: creates the connector or updates it (idempotent). */
    public void putConfig(String connector, Map<String, String> config) {
        String path = "/connectors/" + enc(connector) + "/config";
        expect(call("PUT", path, JSON.valueToTree(config)), "PUT " + path, 200, 201);
    }

    public void pause(String connector) {
        lifecycle(connector, "pause");
    }

    public void resume(String connector) {
        lifecycle(connector, "resume");
    }

    public void stop(String connector) {
        lifecycle(connector, "stop");
    }

    private void lifecycle(String connector, String verb) {
        String path = "/connectors/" + enc(connector) + "/" + verb;
        expect(call("PUT", path, null), "PUT " + path, 200, 202, 204);
    }

    /** Restarts the connector and its failed tasks; returns Connect's answer (the instances restarted). */
    public JsonNode restartFailed(String connector) {
        String path = "/connectors/" + enc(connector) + "/restart?includeTasks=true&onlyFailed=true";
        Response r = call("POST", path, null);
        expect(r, "POST " + path, 200, 202, 204);
        return r.body();
    }

    /**
     * {@code DELETE /connectors/{name}/offsets} on a STOPPED connector: resets its offsets (a sink's
     * consumer group, and what the connector itself stores through {@code alterOffsets}).
     */
    public void resetOffsets(String connector) {
        String path = "/connectors/" + enc(connector) + "/offsets";
        expect(call("DELETE", path, null), "DELETE " + path, 200);
    }

    public void delete(String connector) {
        String path = "/connectors/" + enc(connector);
        Response r = call("DELETE", path, null);
        if (r.status() != 404) {
            expect(r, "DELETE " + path, 200, 204);
        }
    }

    /** {@code PUT /connector-plugins/{plugin}/config/validate}: Connect's answer, with its per-key errors. */
    public JsonNode validate(String plugin, Map<String, String> config) {
        String path = "/connector-plugins/" + enc(plugin) + "/config/validate";
        Response r = call("PUT", path, JSON.valueToTree(config));
        expect(r, "PUT " + path, 200);
        return r.body();
    }

    /** The connector classes installed on the cluster. */
    public List<String> connectorPlugins() {
        return connectorPluginVersions().stream().map(p -> p.get("class")).toList();
    }

    /** The connector plugins installed on the cluster: class, type and version of each. */
    public List<Map<String, String>> connectorPluginVersions() {
        Response r = call("GET", "/connector-plugins?connectorsOnly=true", null);
        expect(r, "GET /connector-plugins", 200);
        List<Map<String, String>> plugins = new ArrayList<>();
        r.body().forEach(p -> plugins.add(Map.of("class", p.path("class").asText(), "type", p.path("type").asText(),
                "version", p.path("version").asText(""))));
        return plugins;
    }

    /** {@code GET /}: the worker's version; throws when the cluster cannot be reached. */
    public String version() {
        Response r = call("GET", "/", null);
        expect(r, "GET /", 200);
        return r.body().path("version").asText();
    }

    public Response call(String method, String path, JsonNode body) {
        List<String> failures = new ArrayList<>();
        int n = settings.urls().size();
        int start = preferred;
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            URI base = settings.urls().get(index);
            try {
                Response r = send(base, method, path, body);
                preferred = index;
                return r;
            } catch (IOException e) {
                // The exception's kind, not its text: the answer goes to the API's callers.
                failures.add(base + ": " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ControlException(ControlException.Kind.UNAVAILABLE, "interrupted while calling Connect");
            }
        }
        throw new ControlException(ControlException.Kind.UNAVAILABLE, "the Connect cluster does not answer ("
                + String.join("; ", failures) + "): nothing was changed. Check that the workers run and that "
                + "connect.urls of the project names them");
    }

    private Response send(URI base, String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(settings.timeout().multipliedBy(3))
                .header("Accept", "application/json");
        if (settings.username() != null) {
            String basic = settings.username() + ":" + (settings.password() == null ? "" : settings.password());
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = null;
        if (r.body().length > 0) {
            try {
                json = JSON.readTree(r.body());
            } catch (IOException e) {
                json = JSON.getNodeFactory().textNode(new String(r.body(), StandardCharsets.UTF_8));
            }
        }
        return new Response(r.statusCode(), json);
    }

    private static void expect(Response r, String what, int... ok) {
        for (int code : ok) {
            if (r.status() == code) {
                return;
            }
        }
        if (r.status() == 401 || r.status() == 403) {
            throw new ControlException(ControlException.Kind.UPSTREAM, what + ": Connect refused the credentials ("
                    + r.status() + "): check connect.username and connect.password of the project");
        }
        if (r.status() == 404) {
            throw ControlException.notFound(what + ": " + r.message());
        }
        if (r.status() == 409) {
            // Connect's own 409: a rebalance is in progress; trying again shortly works.
            throw new ControlException(ControlException.Kind.UNAVAILABLE, what + ": " + r.message()
                    + " (Connect is rebalancing: try again in a few seconds)");
        }
        if (r.status() >= 400 && r.status() < 500) {
            throw ControlException.badRequest(what + " was refused by Connect (" + r.status() + "): " + r.message());
        }
        throw new ControlException(ControlException.Kind.UPSTREAM, what + " failed in Connect (" + r.status() + "): "
                + r.message());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SSLContext trusting(ConnectSettings settings) {
        try (InputStream in = Files.newInputStream(settings.caFile())) {
            return Tls.trusting(in);
        } catch (Exception e) {
            throw new ControlException(ControlException.Kind.BAD_REQUEST, "connect.caFile " + settings.caFile()
                    + " is not a readable PEM certificate file: " + e.getMessage());
        }
    }
}
