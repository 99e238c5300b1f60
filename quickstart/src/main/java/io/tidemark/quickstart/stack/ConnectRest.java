package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidemark.quickstart.QuickstartException;

/** The few calls of Connect's REST API the quickstart makes, each with a timeout. */
public final class ConnectRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // Validating a source connects to its database: Debezium's own check can take a while.
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectRest(String url) {
        this.url = url;
    }

    public String url() {
        return url;
    }

    public record Reply(int status, JsonNode body) {
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    public Reply put(String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body() == null || response.body().isBlank() ? null : JSON.readTree(response.body());
        return new Reply(response.statusCode(), body);
    }

    /** The plugin classes the worker loaded. */
    public List<String> connectorPlugins() throws IOException, InterruptedException {
        List<String> classes = new ArrayList<>();
        Reply reply = get("/connector-plugins");
        if (reply.status() == 200) {
            reply.body().forEach(plugin -> classes.add(plugin.get("class").asText()));
        }
        return classes;
    }

    /**
     * {@code PUT /connector-plugins/{plugin}/config/validate}: every error, as "key: message",
     * with the placeholders resolved by the worker's config providers as a real create would.
     *
     * @param plugin the connector class's simple name ({@code ConnectorFile.plugin()})
     */
    public List<String> validate(String plugin, Map<String, String> config) {
        Reply reply = call(() -> put("/connector-plugins/" + plugin + "/config/validate", config), "validate " + plugin);
        List<String> errors = new ArrayList<>();
        if (reply.status() != 200) {
            errors.add("validate answered " + reply.status() + ": " + reply.body());
            return errors;
        }
        for (JsonNode entry : reply.body().path("configs")) {
            JsonNode value = entry.path("value"); // null for a key defined but not set
            for (JsonNode error : value.path("errors")) {
                errors.add(value.path("name").asText() + ": " + error.asText());
            }
        }
        return errors;
    }

    /** {@code PUT /connectors/{name}/config}: creates the connector or changes it. */
    public void putConnector(String name, Map<String, String> config) {
        Reply reply = call(() -> put("/connectors/" + name + "/config", config), "PUT /connectors/" + name + "/config");
        if (reply.status() != 200 && reply.status() != 201) {
            throw new QuickstartException("PUT /connectors/" + name + "/config answered " + reply.status() + ": " + reply.body());
        }
    }

    /** {@code GET /connectors/{name}/status}, or null while the worker does not know the connector yet. */
    public JsonNode status(String name) {
        Reply reply = call(() -> get("/connectors/" + name + "/status"), "the status of " + name);
        return reply.status() == 200 ? reply.body() : null;
    }

    private interface Call {
        Reply run() throws IOException, InterruptedException;
    }

    private Reply call(Call call, String what) {
        try {
            return call.run();
        } catch (IOException e) {
            throw new QuickstartException("Connect's REST API at " + url + " did not answer (" + what + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuickstartException("interrupted");
        }
    }
}
