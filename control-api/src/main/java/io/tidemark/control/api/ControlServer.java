package io.tidemark.control.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.actions.ActionResult;
import io.tidemark.control.actions.Precheck;
import io.tidemark.control.actions.ProjectActions;
import io.tidemark.control.actions.Progress;
import io.tidemark.control.actions.TableActions;
import io.tidemark.control.metrics.PrometheusMetrics;
import io.tidemark.control.status.ProjectStatus;
import io.tidemark.control.status.StatusReader;

/**
 * The control API over HTTP (the JDK's server): JSON in and out, a bearer token on every route but
 * {@code /health}, the OpenAPI document at {@code /openapi.yaml} and {@code /openapi.json}.
 * Actions answer 200 when done, 202 when a wait ended before the state came (the request stands),
 * and with {@code ?progress=true} stream their steps as JSON lines.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    static final String OPENAPI = "openapi.yaml";
    private static final Set<String> ACTION_FIELDS = Set.of("waitSeconds");
    private static final long MAX_WAIT_SECONDS = 3600;

    private final Map<String, ProjectServices> projects;
    private final BearerTokens tokens;
    private final List<Route> routes = new ArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor;

    public ControlServer(InetSocketAddress address, Map<String, ProjectServices> projects, BearerTokens tokens)
            throws IOException {
        this.projects = projects;
        this.tokens = tokens;
        defineRoutes();
        this.server = HttpServer.create(address, 0);
        // Actions wait for Connect and the sink, so a thread per request, bounded.
        this.executor = new ThreadPoolExecutor(4, 32, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256));
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
    }

    public void start() {
        server.start();
        LOG.info("Tidemark control API on {} for project(s) {}", server.getAddress(), projects.keySet());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The routes the server has, for the OpenAPI check. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private void defineRoutes() {
        route("GET", "/health", false, r -> r.json(200, Map.of("status", "ok")));
        route("GET", "/openapi.yaml", true, r -> r.send(200, "application/yaml", openApi()));
        route("GET", "/openapi.json", true, r -> r.json(200, new YAMLMapper().readTree(openApi())));
        route("GET", "/metrics", true, r -> r.send(200, PrometheusMetrics.CONTENT_TYPE,
                PrometheusMetrics.render(projects.values().stream().map(StatusReader::read).toList())
                        .getBytes(StandardCharsets.UTF_8)));
        route("GET", "/projects", true, r -> {
            List<Map<String, Object>> list = new ArrayList<>();
            projects.values().forEach(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", p.project().name());
                m.put("source", p.project().source().name());
                m.put("sink", p.project().sink().name());
                m.put("controlSchema", p.project().controlSchema());
                m.put("managedBy", p.project().strimzi() == null ? "connect-rest" : "strimzi");
                list.add(m);
            });
            r.json(200, list);
        });
        route("GET", "/projects/{project}", true, r -> r.json(200, StatusReader.read(project(r))));
        route("GET", "/projects/{project}/iterations", true, r -> r.json(200, StatusReader.read(project(r)).iterations()));
        route("GET", "/projects/{project}/tables", true, r -> r.json(200, StatusReader.read(project(r)).tables()));
        route("GET", "/projects/{project}/tables/{table}", true, r -> {
            ProjectServices p = project(r);
            String name = new TableActions(p).row(r.var("table")).sourceTable();
            ProjectStatus s = StatusReader.read(p);
            r.json(200, s.tables().stream().filter(t -> t.sourceTable().equals(name)).findFirst().orElseThrow());
        });
        route("POST", "/projects/{project}/precheck", true, r -> {
            Precheck.Result result = new Precheck(project(r)).run();
            r.json(200, result);
        });
        projectAction("start", ProjectActions::start);
        projectAction("pause", ProjectActions::pause);
        projectAction("soft-stop", ProjectActions::softStop);
        projectAction("stop", ProjectActions::stop);
        projectAction("restart", ProjectActions::restart);
        route("DELETE", "/projects/{project}", true, r -> {
            ProjectServices p = project(r);
            respond(r, progress -> new ProjectActions(p).delete(r.query("confirm"), progress));
        });
        for (String verb : List.of("start", "pause", "stop")) {
            route("POST", "/projects/{project}/tables/{table}/" + verb, true, r -> {
                ProjectServices p = project(r);
                Duration wait = waitOf(r.body(ACTION_FIELDS));
                respond(r, progress -> new TableActions(p).request(r.var("table"), TableActions.action(verb), wait, progress));
            });
        }
        route("PUT", "/projects/{project}/tables/{table}/mode", true, r -> {
            ProjectServices p = project(r);
            JsonNode body = r.body(Set.of("mode", "waitSeconds"));
            if (!body.hasNonNull("mode") || !body.get("mode").isTextual()) {
                throw ControlException.badRequest("the body needs \"mode\": \"FULL\" or \"PARTIAL\"");
            }
            Duration wait = waitOf(body);
            respond(r, progress -> new TableActions(p).setMode(r.var("table"), body.get("mode").asText(), wait, progress));
        });
    }

    private interface ProjectAction {
        ActionResult run(ProjectActions actions, Duration wait, Progress progress);
    }

    private void projectAction(String verb, ProjectAction action) {
        route("POST", "/projects/{project}/" + verb, true, r -> {
            ProjectServices p = project(r);
            Duration wait = waitOf(r.body(ACTION_FIELDS));
            respond(r, progress -> action.run(new ProjectActions(p), wait, progress));
        });
    }

    private void route(String method, String template, boolean authenticated, Route.Handler handler) {
        routes.add(new Route(method, template, authenticated, handler));
    }

    /** 200 done, 202 pending; streamed as JSON lines when asked. */
    private static void respond(Request r, Function<Progress, ActionResult> action) throws IOException {
        if (!r.wantsProgress()) {
            ActionResult result = action.apply(Progress.NONE);
            r.json(result.done() ? 200 : 202, result);
            return;
        }
        try {
            ActionResult result = action.apply(line -> {
                try {
                    r.streamLine(Map.of("progress", line));
                } catch (IOException e) {
                    LOG.debug("the client left while an action ran: {}", e.toString());
                }
            });
            r.streamLine(Map.of("result", result));
            r.endStream();
        } catch (ControlException e) {
            if (!r.streaming()) {
                throw e;
            }
            r.streamLine(Map.of("error", error(e.kind().status, e.kind().name(), e.getMessage())));
            r.endStream();
        }
    }

    private static Duration waitOf(JsonNode body) {
        if (!body.has("waitSeconds")) {
            return null;
        }
        JsonNode w = body.get("waitSeconds");
        if (!w.canConvertToLong() || !w.isIntegralNumber() || w.asLong() < 0 || w.asLong() > MAX_WAIT_SECONDS) {
            throw ControlException.badRequest("waitSeconds must be a whole number of seconds from 0 to "
                    + MAX_WAIT_SECONDS + ", not " + w);
        }
        return Duration.ofSeconds(w.asLong());
    }

    private ProjectServices project(Request r) {
        String name = r.var("project");
        ProjectServices p = projects.get(name);
        if (p == null) {
            throw ControlException.notFound("no project '" + name + "' (the API serves: " + String.join(", ",
                    projects.keySet()) + ")");
        }
        return p;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String method = exchange.getRequestMethod();
        Route matched = null;
        Map<String, String> vars = null;
        List<String> allowed = new ArrayList<>();
        for (Route route : routes) {
            Map<String, String> v = route.match(path);
            if (v != null) {
                allowed.add(route.method());
                if (route.method().equals(method)) {
                    matched = route;
                    vars = v;
                }
            }
        }
        Request r = new Request(exchange, vars == null ? Map.of() : vars);
        try {
            if (matched == null && allowed.isEmpty()) {
                r.json(404, error(404, "NOT_FOUND", "no route " + method + " " + path + " (see GET /openapi.yaml)"));
                return;
            }
            if ((matched == null || matched.authenticated()) && !authorized(r)) {
                return;
            }
            if (matched == null) {
                exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
                r.json(405, error(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path + " (allowed: "
                        + String.join(", ", allowed) + ")"));
                return;
            }
            matched.handler().handle(r);
        } catch (ControlException e) {
            if (e.kind().status >= 500) {
                LOG.warn("{} {}: {}", method, path, e.getMessage());
            }
            r.json(e.kind().status, error(e.kind().status, e.kind().name(), e.getMessage()));
        } catch (Exception e) {
            LOG.error("{} {} failed", method, path, e);
            r.json(500, error(500, "INTERNAL", "the control API failed: " + e + " (see its log)"));
        }
    }

    /** 401 without a token, 403 with a wrong one. */
    private boolean authorized(Request r) throws IOException {
        String header = r.exchange().getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            r.exchange().getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"tidemark\"");
            r.json(401, error(401, "UNAUTHORIZED", "a bearer token is needed: Authorization: Bearer <token> (the CLI "
                    + "reads it from --token-file or TIDEMARK_API_TOKEN)"));
            return false;
        }
        if (!tokens.accepts(header.substring(7).strip())) {
            r.json(403, error(403, "FORBIDDEN", "the bearer token is not one of the API's tokens"));
            return false;
        }
        return true;
    }

    static Map<String, Object> error(int status, String kind, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("error", kind);
        m.put("message", message);
        return m;
    }

    static byte[] openApi() throws IOException {
        try (InputStream in = ControlServer.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IOException(OPENAPI + " is missing from the control API's jar");
            }
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        projects.values().forEach(ProjectServices::close);
    }
}
