package io.tidemark.control.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.routes.ActionRoutes;
import io.tidemark.control.api.routes.CutoverRoutes;
import io.tidemark.control.api.routes.DashboardRoutes;
import io.tidemark.control.api.routes.ProjectReadRoutes;
import io.tidemark.control.api.routes.ServedProjects;
import io.tidemark.control.api.routes.ServiceRoutes;
import io.tidemark.control.api.routes.VerifyRoutes;
import io.tidemark.control.audit.Audit;
import io.tidemark.control.auth.BearerTokens;
import io.tidemark.control.metrics.MetricsSnapshot;
import io.tidemark.control.status.BackgroundReads;
import io.tidemark.control.status.Readiness;

/**
 * The control API over HTTP on Jetty 12 (the Jetty Kafka Connect 4.3 runs on; see docs/design.md for
 * why not a framework). Jetty's few threads read requests without blocking and never wait for
 * Connect or a database: reads run on a bounded pool with a timeout, actions and progress streams on
 * another, bounded in number; {@code /health}, {@code /ready} and {@code /metrics} answer from memory.
 * Idle connections are closed, bodies and headers bounded, every request in the access log
 * ({@code io.tidemark.control.access}), and TLS served from PEM files reloaded when they change.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final Duration REFRESH = Duration.ofSeconds(10);
    private static final Duration READ_BUDGET = Duration.ofSeconds(20);
    private static final Duration TLS_CHECK = Duration.ofSeconds(2);

    /** Where and how to serve: TLS when {@code tls} is given. */
    public record Settings(InetSocketAddress address, TlsFiles tls, ServerLimits limits) {

        public static Settings plain(InetSocketAddress address) {
            return new Settings(address, null, ServerLimits.DEFAULTS);
        }
    }

    private final Map<String, ProjectServices> projects;
    private final Settings settings;
    private final Routes routes;
    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService reads;
    private final ExecutorService actions;
    private final ExecutorService background;
    private final ScheduledExecutorService timer;
    private final MetricsSnapshot metrics;
    private final BackgroundReads<List<String>> readiness;
    private final SslContextFactory.Server ssl;
    private final Audit audit;

    public ControlServer(InetSocketAddress address, Map<String, ProjectServices> projects, BearerTokens tokens) {
        this(Settings.plain(address), projects, tokens);
    }

    public ControlServer(Settings settings, Map<String, ProjectServices> projects, BearerTokens tokens) {
        this(settings, projects, tokens, List.of());
    }

    /** @param more route families beyond the API's own (a dashboard, a verification job), added after them */
    public ControlServer(Settings settings, Map<String, ProjectServices> projects, BearerTokens tokens,
                         List<Routes.Family> more) {
        this.projects = projects;
        this.settings = settings;
        ServerLimits limits = settings.limits();
        ServedProjects served = new ServedProjects(projects);
        this.timer = Executors.newSingleThreadScheduledExecutor(threads("tidemark-api-timer"));
        this.background = Executors.newFixedThreadPool(Math.max(2, Math.min(4, projects.size() * 2)),
                threads("tidemark-api-background"));
        this.metrics = new MetricsSnapshot(projects.values(), READ_BUDGET, background);
        this.readiness = new BackgroundReads<>("readiness", projects.values(), Readiness::check, Duration.ofSeconds(8),
                background, latest -> { });
        this.routes = new Routes()
                .add(new ServiceRoutes(metrics, () -> Readiness.of(served.names(), readiness.snapshot(), REFRESH.multipliedBy(3))))
                .add(new ProjectReadRoutes(served))
                .add(new ActionRoutes(served))
                .add(new CutoverRoutes(served))
                .add(new VerifyRoutes(served))
                .add(new DashboardRoutes());
        more.forEach(routes::add);
        this.reads = new ThreadPoolExecutor(limits.readThreads(), limits.readThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.readThreads() * 4), threads("tidemark-api-read"));
        this.actions = Executors.newCachedThreadPool(threads("tidemark-api-action"));

        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("tidemark-api-http");
        this.server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(limits.maxHeader());
        ConnectionFactory plain = new HttpConnectionFactory(http);
        if (settings.tls() != null) {
            this.ssl = settings.tls().factory();
            http.addCustomizer(new SecureRequestCustomizer(false));
            this.connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"), plain);
        } else {
            this.ssl = null;
            this.connector = new ServerConnector(server, 1, 1, plain);
        }
        connector.setHost(settings.address().getHostString());
        connector.setPort(settings.address().getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        this.audit = new Audit(projects);
        server.setHandler(new Dispatcher(routes, tokens, limits, reads, actions, timer, audit));
        Slf4jRequestLogWriter accessLog = new Slf4jRequestLogWriter();
        accessLog.setLoggerName("io.tidemark.control.access");
        server.setRequestLog(new CustomRequestLog(accessLog, CustomRequestLog.EXTENDED_NCSA_FORMAT + " %{ms}Tms"));
    }

    public void start() throws Exception {
        server.start();
        timer.scheduleWithFixedDelay(this::refresh, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        if (ssl != null) {
            timer.scheduleWithFixedDelay(() -> settings.tls().reloadIfChanged(ssl), TLS_CHECK.toMillis(),
                    TLS_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("Tidemark control API on {}://{}:{} for project(s) {}", ssl == null ? "http" : "https",
                settings.address().getHostString(), port(), projects.keySet());
    }

    private void refresh() {
        try {
            metrics.refresh();
            readiness.tick();
        } catch (RuntimeException e) {
            LOG.warn("the background reads failed to start: {}", e.toString());
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The routes the server has, for the OpenAPI check. */
    public List<Route> routes() {
        return routes.all();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.toString());
        }
        timer.shutdownNow();
        reads.shutdownNow();
        actions.shutdownNow();
        background.shutdownNow();
        audit.close();
        projects.values().forEach(ProjectServices::close);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
