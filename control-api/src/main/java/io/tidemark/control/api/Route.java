package io.tidemark.control.api;

import java.util.HashMap;
import java.util.Map;

import io.tidemark.control.auth.Scope;

/**
 * One route of the API: method, path template ({@code /projects/{project}/start}; a last segment
 * {@code {path...}} takes the rest of the path), the scope a token needs (null: no token), how it
 * runs, and its handler. The routes are what the server serves and what the OpenAPI test compares
 * the document with.
 */
public record Route(String method, String template, Scope scope, Kind kind, Handler handler) {

    /** Where a route runs: how long it may take decides it. */
    public enum Kind {
        /** Answers at once from memory (health, the metrics snapshot, documents, static files): on the server's thread. */
        INLINE,
        /** Reads Connect and the control schema: on the bounded read pool, within the request timeout. */
        READ,
        /** Changes something and may wait for it (or streams its progress): on the bounded action pool, audited. */
        ACTION
    }

    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    public boolean authenticated() {
        return scope != null;
    }

    /** The path variables when the path matches the template, else null. */
    Map<String, String> match(String path) {
        if (template.equals("/")) {
            return path.equals("/") ? new HashMap<>() : null; // "/".split gives no segments at all
        }
        String[] t = template.split("/");
        String[] p = path.split("/", -1);
        boolean rest = t.length > 0 && t[t.length - 1].endsWith("...}");
        if (rest ? p.length < t.length : t.length != p.length) {
            return null;
        }
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (rest && i == t.length - 1) {
                vars.put(t[i].substring(1, t[i].length() - 4), String.join("/", java.util.Arrays.copyOfRange(p, i,
                        p.length)));
            } else if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return null;
                }
                vars.put(t[i].substring(1, t[i].length() - 1), p[i]);
            } else if (!t[i].equals(p[i])) {
                return null;
            }
        }
        return vars;
    }
}
