package io.tidemark.control.api;

import java.util.HashMap;
import java.util.Map;

/**
 * One route of the API: method and path template ({@code /projects/{project}/start}). The list of
 * routes is what the server serves and what the OpenAPI test compares the document with.
 */
public record Route(String method, String template, boolean authenticated, Handler handler) {

    @FunctionalInterface
    public interface Handler {
        void handle(Request request) throws Exception;
    }

    /** The path variables when the path matches the template, else null. */
    Map<String, String> match(String path) {
        String[] t = template.split("/");
        String[] p = path.split("/");
        if (t.length != p.length) {
            return null;
        }
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
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
