package io.tidemark.control.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tidemark.control.ControlException;
import io.tidemark.control.auth.Scope;

/**
 * The routes a server has, added by route families ({@link Family}): one family per area (the
 * service's own routes, project reads, project and table actions; later verification, cutover, a
 * dashboard). A family says for each route its scope and kind; the server then runs it on the right
 * pool, behind the right check, audited when it is an action.
 */
public final class Routes {

    /** A group of routes of one area, added to the server as a whole. */
    @FunctionalInterface
    public interface Family {
        void addTo(Routes routes);
    }

    /** A route found for a request, or the methods the path has (405) or none (404). */
    record Match(Route route, Map<String, String> vars, List<String> allowed) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Routes add(Family family) {
        family.addTo(this);
        return this;
    }

    /** Answers from memory, on the server's thread: it must never wait. */
    public void inline(String method, String template, Scope scope, Route.Handler handler) {
        routes.add(new Route(method, template, scope, Route.Kind.INLINE, handler));
    }

    /** Reads, on the read pool, within the request timeout. */
    public void read(String method, String template, Scope scope, Route.Handler handler) {
        routes.add(new Route(method, template, scope, Route.Kind.READ, handler));
    }

    /**
     * A long-running job (an action, or any job that streams its progress as JSON lines): on the
     * bounded action pool, audited.
     */
    public void action(String method, String template, Scope scope, Route.Handler handler) {
        routes.add(new Route(method, template, scope, Route.Kind.ACTION, handler));
    }

    /**
     * Static files from the class path under {@code prefix} ({@code /ui} serves {@code /ui/app.js} from
     * {@code <resourceDir>/app.js}); {@code /ui} itself serves {@code index.html}.
     */
    public void assets(String prefix, String resourceDir, Scope scope) {
        Route.Handler serve = x -> {
            String file = x.var("path");
            if (file == null || file.isEmpty()) {
                file = "index.html";
            }
            if (file.contains("..") || file.startsWith("/")) {
                throw ControlException.notFound("no file " + file);
            }
            x.send(200, contentType(file), resource(resourceDir + "/" + file, prefix + "/" + file));
        };
        inline("GET", prefix, scope, serve);
        inline("GET", prefix + "/{path...}", scope, serve);
    }

    /** A file of the class path, or 404 naming {@code asked}. */
    public static byte[] resource(String path, String asked) throws IOException {
        try (InputStream in = Routes.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw ControlException.notFound("no file " + asked);
            }
            return in.readAllBytes();
        }
    }

    public static String contentType(String file) {
        String f = file.toLowerCase(java.util.Locale.ROOT);
        if (f.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (f.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (f.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (f.endsWith(".json")) {
            return "application/json";
        } else if (f.endsWith(".svg")) {
            return "image/svg+xml";
        } else if (f.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }

    public List<Route> all() {
        return List.copyOf(routes);
    }

    Match find(String method, String path) throws IOException {
        List<String> allowed = new ArrayList<>();
        Route found = null;
        Map<String, String> vars = null;
        for (Route route : routes) {
            Map<String, String> v = route.match(path);
            if (v != null) {
                allowed.add(route.method());
                if (found == null && route.method().equals(method)) {
                    found = route;
                    vars = v;
                }
            }
        }
        return new Match(found, vars == null ? Map.of() : vars, allowed);
    }
}
