package io.tidemark.quickstart;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.tidemark.quickstart.demo.DemoSource;
import io.tidemark.quickstart.demo.OracleDemoSource;
import io.tidemark.quickstart.demo.PostgresDemoSource;
import io.tidemark.quickstart.demo.PostgresInstance;
import io.tidemark.quickstart.demo.Workload;
import io.tidemark.quickstart.progress.IterationLedger;
import io.tidemark.quickstart.stack.PidFiles;
import io.tidemark.quickstart.stack.ConnectWorker;
import io.tidemark.quickstart.stack.ControlApiServer;
import io.tidemark.quickstart.stack.KafkaBroker;
import io.tidemark.quickstart.stack.LogConfig;
import io.tidemark.quickstart.stack.Plugins;
import io.tidemark.quickstart.stack.WorkDirectory;

/**
 * One run of the quickstart, step by step: PostgreSQL ready, the demo databases fresh, the
 * plugins on plugin.path, the broker, the worker, the shipped connector files of the demo's
 * project, the workload; then the progress lines until enough iterations completed (then the
 * workload stops and the run ends on a verified target, {@link QuietEnd}) or the user stops it. {@link #close} stops everything in reverse, once, from whichever thread gets there
 * first (the main thread at the end, the shutdown hook on Ctrl-C).
 */
final class QuickstartRun {

    private static final Duration TOPICS_TIMEOUT = Duration.ofSeconds(90);

    private final Installation installation;
    private final Path workRoot;
    private final Console console;
    private final PostgresInstance postgres;
    private final String databasePrefix;
    private final int iterations;

    private WorkDirectory work;
    private DemoSource source;
    private Workload workload;
    private KafkaBroker broker;
    private ConnectWorker worker;
    private ControlApiServer api;
    private volatile boolean stopping;
    private boolean prepared;
    private boolean closed;

    QuickstartRun(Installation installation, Path workRoot, Console console, String pgUrl, String pgUser,
                  String pgPassword, String databasePrefix, int iterations) {
        this.installation = installation;
        this.workRoot = workRoot;
        this.console = console;
        this.postgres = PostgresInstance.resolve(pgUrl, pgUser, pgPassword);
        this.databasePrefix = databasePrefix;
        this.iterations = iterations;
    }

    /** A step failed: 3, as for every verb of bin/tidemark (docs/control-api.md, "Exit codes"); 1 means refused there. */
    static final int FAILED = 3;
    /** Stopped by Ctrl-C. */
    static final int INTERRUPTED = 130;

    /** Runs the quickstart; returns the exit code. */
    int execute() {
        Thread hook = new Thread(this::interrupted, "tidemark-quickstart-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<ConnectorFile> connectors = start();
            ConnectorFile sink = connectors.stream().filter(c -> !c.isSource()).findFirst().orElseThrow();
            String project = sink.config().getOrDefault("project.name", sink.name());
            ProgressMonitor monitor = new ProgressMonitor(console, postgres, targetDatabase(), project, broker, worker,
                    connectors, workload);
            monitor.run(iterations, () -> stopping);
            if (iterations > 0 && !stopping) {
                new QuietEnd(console, postgres, targetDatabase(), new IterationLedger("tidemark", project), api,
                        source.project()).run(workload, worker.log().toString());
            }
            return 0;
        } catch (QuickstartException | SQLException e) {
            if (stopping) {
                return INTERRUPTED;
            }
            System.err.println("quickstart: " + e.getMessage());
            return FAILED;
        } catch (RuntimeException | Error e) {
            if (stopping) {
                return INTERRUPTED;
            }
            System.err.println("quickstart: unexpected failure, please report it with this trace and the logs in "
                    + workRoot.resolve("logs") + ":");
            e.printStackTrace();
            return FAILED;
        } finally {
            close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already: the hook runs
            }
        }
    }

    private String targetDatabase() {
        return databasePrefix + "_target";
    }

    private void interrupted() {
        if (!closed) {
            stopping = true;
            console.step("stopping (Ctrl-C)");
            close();
        }
    }

    private List<ConnectorFile> start() throws SQLException {
        PidFiles.stopLeftovers(workRoot.resolve("run"), console::step);
        PidFiles.markLauncher(workRoot.resolve("run"));
        work = WorkDirectory.fresh(workRoot);
        // The launcher's own logging (Kafka's admin client and storage tool) goes to a file too.
        System.setProperty(LogConfig.PROPERTY, LogConfig.write(work.run().resolve("log4j2-quickstart.properties"),
                work.log("quickstart.log"), Map.of()).toString());

        OracleDemoSource oracle = OracleDemoSource.fromEnvironment(System.getenv());
        source = oracle != null ? oracle : new PostgresDemoSource(postgres, databasePrefix + "_source");
        workload = new Workload(source.dialect());
        postgres.ensureReady(installation.script("prepare-postgres.sh"), oracle == null, console::step);
        long rows = source.prepare(workload);
        prepared = true; // from here on the demo's databases exist, and a slot may come to clean up
        postgres.recreateDatabase(targetDatabase());
        console.step("demo source ready: " + rows + " rows in 4 tables; target database " + targetDatabase() + " empty");

        List<Path> plugins = Plugins.unzip(installation.pluginZips(), work.plugins());
        if (source instanceof OracleDemoSource) {
            Plugins.addOracleDriver(work.plugins(), installation.oracleJdbc());
        }
        console.step("plugins unzipped onto plugin.path: " + plugins.stream().map(p -> p.getFileName().toString())
                .collect(Collectors.joining(", ")));

        broker = KafkaBroker.start(work);
        console.step("Kafka broker running (KRaft, one node) at " + broker.bootstrapServers());

        List<ConnectorFile> connectors = ConnectorFile.project(installation.config("connectors/" + source.project()));
        worker = ConnectWorker.start(work, installation.config("worker/connect-distributed.properties"),
                broker.bootstrapServers(), workerEnv(), connectors.stream().map(ConnectorFile::connectorClass).distinct().toList());
        console.step("Connect worker running at " + worker.rest().url() + " with both plugins loaded from plugin.path");

        Connectors rest = new Connectors(worker, console);
        for (ConnectorFile connector : connectors) {
            if (!connector.isSource()) {
                // A sink subscribing by regex would see topics created after it only at its next metadata refresh.
                broker.awaitTopics(new java.util.HashSet<>(source.topics()), TOPICS_TIMEOUT,
                        "the source should create them with its snapshot; see " + worker.log());
            }
            rest.create(connector);
            if (connector.isSource()) {
                workload.start(source::connect, console::step);
            }
        }
        Map<String, String> apiEnv = new LinkedHashMap<>(workerEnv());
        apiEnv.put("TIDEMARK_DEMO_CONNECT_URL", worker.rest().url());
        api = ControlApiServer.start(work, installation.controlApiClasspath() + java.io.File.pathSeparator
                + installation.target().resolve("classes"), installation.config("projects/" + source.project()), apiEnv);
        console.step("control API running at " + api.url() + " (bin/tidemark serve, project " + source.project() + ")");
        printWhereThingsAre(connectors);
        return connectors;
    }

    // The values of the ${env:TIDEMARK_DEMO_*} placeholders in config/connectors/demo*/, for the worker's EnvVarConfigProvider.
    private Map<String, String> workerEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TIDEMARK_DEMO_PG_HOST", postgres.host());
        env.put("TIDEMARK_DEMO_PG_PORT", Integer.toString(postgres.port()));
        env.put("TIDEMARK_DEMO_PG_USER", postgres.user());
        env.put("TIDEMARK_DEMO_PG_PASSWORD", postgres.password());
        env.put("TIDEMARK_DEMO_TARGET_URL", postgres.urlOf(targetDatabase()));
        env.put("TIDEMARK_DEMO_KAFKA", broker.bootstrapServers());
        env.putAll(source.workerEnv());
        return env;
    }

    private void printWhereThingsAre(List<ConnectorFile> connectors) {
        String target = postgres.urlOf(targetDatabase());
        console.plain("");
        console.plain("Tidemark quickstart is running: demo source -> Kafka -> PostgreSQL target, iterations every few seconds.");
        console.plain("  Connect REST API  " + worker.rest().url() + "   (e.g. curl " + worker.rest().url() + "/connectors?expand=status)");
        console.plain("  control API       " + api.url() + "   token in " + api.tokenFile() + " (e.g. bin/tidemark status "
                + source.project() + " --api " + api.url() + " --token-file " + api.tokenFile() + ")");
        console.plain("  target database   " + target + "   (psql -h " + postgres.host() + " -p " + postgres.port() + " -U "
                + postgres.user() + " " + targetDatabase() + "; Tidemark's own tables in schema tidemark)");
        console.plain("  source database   " + source.describe());
        console.plain("  Kafka             " + broker.bootstrapServers() + " (KRaft, one node)");
        console.plain("  connectors        " + connectors.stream().map(ConnectorFile::name).collect(Collectors.joining(", "))
                + " from " + installation.home().relativize(connectors.get(0).file().getParent()) + "/");
        console.plain("  logs              " + work.logs() + "/ (kafka.log, connect.log, quickstart.log)");
        console.plain(iterations > 0 ? "It stops after " + iterations + " completed iterations; Ctrl-C stops it sooner."
                : "A line per completed iteration follows. Ctrl-C stops everything.");
        console.plain("");
    }

    /** Stops the workload, the worker, the broker, and drops what the source left in its database. Once. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (workload != null) {
            workload.close();
        }
        if (api != null) {
            api.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (prepared) {
            String cleaned = source.cleanUp();
            if (cleaned != null) {
                console.step(cleaned);
            }
        }
        if (work != null) {
            PidFiles.unmarkLauncher(work.run());
        }
        if (prepared) {
            console.step("stopped: no process of the quickstart runs any more; the demo databases " + databasePrefix
                    + "_* stay for you to look at until the next run replaces them");
        }
    }
}
