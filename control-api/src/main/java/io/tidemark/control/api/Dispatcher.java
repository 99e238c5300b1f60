package io.tidemark.control.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.control.ControlException;
import io.tidemark.control.audit.Audit;
import io.tidemark.control.audit.AuditEntry;
import io.tidemark.control.auth.BearerTokens;
import io.tidemark.control.auth.Caller;
import io.tidemark.control.auth.Scope;

/**
 * Every request: the route, the token and its scope, then the route's handler where its kind says
 * (the server's thread, the read pool with its timeout, or the action pool, bounded and audited).
 * The server's own threads never wait for Connect or a database.
 */
final class Dispatcher extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final String REALM = "Bearer realm=\"tidemark\"";
    /** Longer than the longest wait an action may be given (3600 s). */
    private static final java.time.Duration ACTION_IDLE_TIMEOUT = java.time.Duration.ofSeconds(3700);

    private final Routes routes;
    private final BearerTokens tokens;
    private final ServerLimits limits;
    private final ExecutorService reads;
    private final ExecutorService actions;
    private final Semaphore actionSlots;
    private final ScheduledExecutorService timer;
    private final Audit audit;

    Dispatcher(Routes routes, BearerTokens tokens, ServerLimits limits, ExecutorService reads, ExecutorService actions,
               ScheduledExecutorService timer, Audit audit) {
        this.routes = routes;
        this.tokens = tokens;
        this.limits = limits;
        this.reads = reads;
        this.actions = actions;
        this.actionSlots = new Semaphore(limits.maxActions());
        this.timer = timer;
        this.audit = audit;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        } else if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        Routes.Match match = routes.find(method, path);
        Route route = match.route();
        Exchange early = new Exchange(request, response, callback, match.vars(), null, limits.maxBody());
        if (route == null && match.allowed().isEmpty()) {
            early.json(404, ErrorBody.of(404, "NOT_FOUND", "no route " + method + " " + path + " (see GET /openapi.yaml)"));
            return true;
        }
        // A path that exists with another method still needs a token before it says which methods it has.
        Scope needed = route == null ? Scope.READ : route.scope();
        Caller caller = null;
        if (needed != null) {
            caller = authenticate(early);
            if (caller == null) {
                return true;
            }
            if (!caller.scope().covers(needed)) {
                String message = "token '" + caller.name() + "' has scope " + caller.scope().word() + "; " + method + " "
                        + (route == null ? path : route.template()) + " needs " + needed.word();
                early.json(403, ErrorBody.of(403, "FORBIDDEN", message));
                if (route != null && route.kind() == Route.Kind.ACTION) {
                    record(match, caller, method, path, null, 403, message);
                }
                return true;
            }
        }
        if (route == null) {
            response.getHeaders().put("Allow", String.join(", ", match.allowed()));
            early.json(405, ErrorBody.of(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path + " (allowed: "
                    + String.join(", ", match.allowed()) + ")"));
            return true;
        }
        Exchange x = new Exchange(request, response, callback, match.vars(), caller, limits.maxBody());
        switch (route.kind()) {
            case INLINE -> run(route, x);
            case READ -> read(route, x);
            case ACTION -> action(route, match, x, request);
        }
        return true;
    }

    /** The caller, or null after answering 401 (no token, or one the API does not know). */
    private Caller authenticate(Exchange x) throws Exception {
        String header = x.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            x.setHeader("WWW-Authenticate", REALM);
            x.json(401, ErrorBody.of(401, "UNAUTHORIZED", "a bearer token is needed: Authorization: Bearer <token> (the "
                    + "CLI reads it from --token-file or TIDEMARK_API_TOKEN)"));
            return null;
        }
        Caller caller = tokens.identify(header.substring(7).strip()).orElse(null);
        if (caller == null) {
            x.setHeader("WWW-Authenticate", REALM + ", error=\"invalid_token\"");
            x.json(401, ErrorBody.of(401, "UNAUTHORIZED", "the bearer token is not one of the API's tokens"));
        }
        return caller;
    }

    private void read(Route route, Exchange x) throws Exception {
        Future<?> running;
        try {
            running = reads.submit(() -> run(route, x));
        } catch (RejectedExecutionException e) {
            error(x, new ControlException(ControlException.Kind.UNAVAILABLE, "the control API has "
                    + limits.readThreads() + " reads running and more waiting: try again shortly"));
            return;
        }
        timer.schedule(() -> {
            if (!running.isDone()) {
                running.cancel(true);
                error(x, new ControlException(ControlException.Kind.TIMEOUT, "the read took longer than "
                        + limits.requestTimeout().toSeconds() + " s (Connect or a database answers slowly): the status "
                        + "names what could not be read when asked again"));
            }
        }, limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void action(Route route, Routes.Match match, Exchange x, Request request) throws Exception {
        if (!actionSlots.tryAcquire()) {
            x.setHeader("Retry-After", "10");
            String message = limits.maxActions() + " actions or progress streams run already (the most at once): try "
                    + "again when one has finished";
            error(x, new ControlException(ControlException.Kind.BUSY, message));
            record(match, x.caller(), x.method(), x.path(), null, 429, message);
            return;
        }
        // An action bounds its own waits (waitSeconds, at most an hour): the connection's idle timeout must not
        // cut it while it waits silently; the usual one applies again once it has answered.
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        endPoint.setIdleTimeout(ACTION_IDLE_TIMEOUT.toMillis());
        Request.addCompletionListener(request, failure -> endPoint.setIdleTimeout(limits.idleTimeout().toMillis()));
        try {
            actions.execute(() -> {
                try {
                    run(route, x);
                } finally {
                    actionSlots.release();
                    record(match, x.caller(), x.method(), x.path(), x.bodyRead() == null ? null
                            : x.bodyRead().toString(), x.status(), x.outcome());
                }
            });
        } catch (RejectedExecutionException e) {
            actionSlots.release();
            error(x, new ControlException(ControlException.Kind.UNAVAILABLE, "the control API is stopping"));
        }
    }

    private void run(Route route, Exchange x) {
        try {
            route.handler().handle(x);
        } catch (ControlException e) {
            if (e.kind().status >= 500) {
                LOG.warn("{} {}: {}", x.method(), x.path(), e.getMessage());
            }
            error(x, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            String ref = ErrorBody.newReference();
            LOG.error("{} {} failed (reference {})", x.method(), x.path(), ref, e);
            x.outcome("internal failure, reference " + ref);
            answer(x, 500, ErrorBody.of(500, "INTERNAL", "the control API failed (reference " + ref + ": its log has "
                    + "the details)"));
        }
    }

    private static void error(Exchange x, ControlException e) {
        x.outcome(e.getMessage());
        if (x.streaming()) {
            try {
                x.streamLine(Map.of("error", ErrorBody.of(e.kind().status, e.kind().name(), e.getMessage())));
            } catch (Exception ignored) {
                // the client left
            }
            x.endStream();
            return;
        }
        answer(x, e.kind().status, ErrorBody.of(e.kind().status, e.kind().name(), e.getMessage()));
    }

    private static void answer(Exchange x, int status, Map<String, Object> body) {
        try {
            x.json(status, body);
        } catch (Exception e) {
            LOG.debug("answering {} {} failed: {}", x.method(), x.path(), e.toString());
        }
    }

    private void record(Routes.Match match, Caller caller, String method, String path, String body, int status,
                        String message) {
        audit.record(new AuditEntry(Instant.now(), decoded(match.vars().get("project")),
                decoded(match.vars().get("table")), caller == null ? null : caller.name(),
                caller == null ? null : caller.scope().word(), method, path, body, status, AuditEntry.outcomeOf(status),
                message));
    }

    private static String decoded(String v) {
        return v == null ? null : URLDecoder.decode(v, StandardCharsets.UTF_8);
    }
}
