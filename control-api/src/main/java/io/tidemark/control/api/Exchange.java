package io.tidemark.control.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.ControlException;
import io.tidemark.control.auth.Caller;

/**
 * One request and its answer, as a route's handler sees them: path variables, the query, a bounded
 * and validated JSON body, the caller; a JSON answer, or a stream of JSON lines. Answered once: a
 * second answer (a timeout raced the handler) is dropped.
 */
public final class Exchange {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Map<String, String> vars;
    private final Fields query;
    private final Caller caller;
    private final int maxBody;
    private boolean streaming;
    private boolean answered;
    private JsonNode body;
    private int status;
    private String outcome;

    Exchange(Request request, Response response, Callback callback, Map<String, String> vars, Caller caller,
             int maxBody) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.vars = vars;
        this.query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        this.caller = caller;
        this.maxBody = maxBody;
    }

    /** A path variable, decoded; null when the route's template has none of that name. */
    public String var(String name) {
        String v = vars.get(name);
        return v == null ? null : URLDecoder.decode(v, StandardCharsets.UTF_8);
    }

    public String query(String name) {
        return query.getValue(name);
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return request.getHttpURI().getPath();
    }

    /** Null on a route that needs no token. */
    public Caller caller() {
        return caller;
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The body read so far ({@link #body}), for the audit; null when none was read. */
    JsonNode bodyRead() {
        return body;
    }

    /**
     * The body as a JSON object with only the fields allowed (an empty body is an empty object), at
     * most the server's body limit.
     *
     * @throws ControlException 400 for bad JSON, another type, or an unknown field; 413 for a body too large
     */
    public JsonNode body(Set<String> allowed) throws IOException {
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(maxBody + 1);
        }
        if (bytes.length > maxBody) {
            throw new ControlException(ControlException.Kind.TOO_LARGE, "the request body is larger than " + maxBody
                    + " bytes");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            body = Json.MAPPER.createObjectNode();
            return body;
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
        body = node;
        return node;
    }

    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    public void json(int status, Object body) throws IOException {
        send(status, "application/json", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
    }

    public synchronized void send(int status, String contentType, byte[] body) {
        if (answered) {
            return;
        }
        answered = true;
        this.status = status;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Whether the client asked for the action's progress as a stream of JSON lines. */
    public boolean wantsProgress() {
        String accept = header("Accept");
        return "true".equals(query("progress")) || (accept != null && accept.contains("application/x-ndjson"));
    }

    /** Streaming: the first line starts a 200 response of JSON lines; each line is written and flushed. */
    public void streamLine(Object line) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(line);
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) '\n').flip();
        Callback.Completable written = new Callback.Completable();
        synchronized (this) {
            if (answered) {
                return;
            }
            if (!streaming) {
                streaming = true;
                status = 200;
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
            }
            response.write(false, buffer, written);
        }
        try {
            written.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while streaming");
        } catch (ExecutionException e) {
            throw new IOException("the client left: " + e.getCause().getClass().getSimpleName());
        }
    }

    public synchronized boolean streaming() {
        return streaming;
    }

    public synchronized void endStream() {
        if (!answered) {
            answered = true;
            response.write(true, ByteBuffer.allocate(0), callback);
        }
    }

    public synchronized boolean answered() {
        return answered;
    }

    /** What the request came to, in a line, for the audit (the action's message, or the error's). */
    public synchronized void outcome(String message) {
        this.outcome = message;
    }

    synchronized String outcome() {
        return outcome;
    }

    /** The status sent (200 for a stream), 0 before any. */
    public synchronized int status() {
        return status;
    }
}
