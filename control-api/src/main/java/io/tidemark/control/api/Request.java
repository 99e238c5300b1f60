package io.tidemark.control.api;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import io.tidemark.control.ControlException;

/** An exchange of the JDK's server with what a handler needs: path variables, query, a validated JSON body, answers. */
public final class Request {

    private static final int MAX_BODY = 64 * 1024;

    private final HttpExchange exchange;
    private final Map<String, String> vars;
    private final Map<String, String> query = new HashMap<>();
    private OutputStream stream;

    Request(HttpExchange exchange, Map<String, String> vars) {
        this.exchange = exchange;
        this.vars = vars;
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(k, v);
            }
        }
    }

    public String var(String name) {
        return URLDecoder.decode(vars.get(name), StandardCharsets.UTF_8);
    }

    public String query(String name) {
        return query.get(name);
    }

    public HttpExchange exchange() {
        return exchange;
    }

    /**
     * The body as a JSON object with only the fields allowed (an empty body is an empty object).
     *
     * @throws ControlException 400 for bad JSON, another type, or an unknown field
     */
    public JsonNode body(Set<String> allowed) throws IOException {
        byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw ControlException.badRequest("the request body is larger than " + MAX_BODY + " bytes");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ControlException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw ControlException.badRequest("the request body must be a JSON object, e.g. {\"waitSeconds\": 60}");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ControlException.badRequest("unknown field '" + f + "' in the request body (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return node;
    }

    public void json(int status, Object body) throws IOException {
        send(status, "application/json", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
    }

    public void send(int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /** Whether the client asked for the action's progress as a stream of JSON lines. */
    public boolean wantsProgress() {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        return "true".equals(query("progress")) || (accept != null && accept.contains("application/x-ndjson"));
    }

    /** Streaming: the first line starts a 200 chunked response; each line is one JSON object. */
    public synchronized void streamLine(Object line) throws IOException {
        if (stream == null) {
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            stream = exchange.getResponseBody();
        }
        stream.write(Json.MAPPER.writeValueAsBytes(line));
        stream.write('\n');
        stream.flush();
    }

    public synchronized boolean streaming() {
        return stream != null;
    }

    public synchronized void endStream() throws IOException {
        if (stream != null) {
            stream.close();
        }
        exchange.close();
    }
}
