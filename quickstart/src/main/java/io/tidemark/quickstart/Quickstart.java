package io.tidemark.quickstart;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/tidemark quickstart}: the whole pipeline on this machine with real components (see
 * docs/quickstart.md). Exit codes, as for every verb of bin/tidemark: 0 after {@code --iterations}
 * completed iterations, 3 when a step fails (the message says what to do), 2 for a wrong command
 * line; Ctrl-C stops everything and exits 130.
 */
@Command(name = "tidemark quickstart", sortOptions = false,
        description = {"Runs Tidemark end to end on this machine: a Kafka broker (KRaft) and a distributed Connect worker"
                + " with both plugins, a demo source with a live workload (PostgreSQL; Oracle when ORACLE_HOST is set),"
                + " and the sink into a target database, printing a line per completed iteration.",
                "Ctrl-C stops everything."})
public final class Quickstart implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--iterations", paramLabel = "N",
            description = "Stop and exit 0 after N completed iterations (default: run until Ctrl-C).")
    int iterations;

    @Option(names = "--pg-url", paramLabel = "URL", description = "JDBC URL of the PostgreSQL server for the demo's databases"
            + " (default: TIDEMARK_TEST_PG_URL, else the local " + io.tidemark.quickstart.demo.PostgresInstance.LOCAL_URL + ").")
    String pgUrl;

    @Option(names = "--pg-user", paramLabel = "USER", description = "Its user (default: TIDEMARK_TEST_PG_USER, else postgres).")
    String pgUser;

    @Option(names = "--pg-password", paramLabel = "PASSWORD", description = "Its password (default: TIDEMARK_TEST_PG_PASSWORD, else postgres).")
    String pgPassword;

    @Option(names = "--database-prefix", paramLabel = "NAME", defaultValue = "tidemark_quickstart",
            description = "The demo's databases are NAME_source and NAME_target, replaced at every run (default: ${DEFAULT-VALUE}).")
    String databasePrefix;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where logs, Kafka's data and the plugin path go (default: .tidemark/quickstart in the repository).")
    Path workDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Quickstart());
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        if (!databasePrefix.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--database-prefix must be a lower-case SQL name of at most 41 characters, not '" + databasePrefix + "'");
        }
        if (iterations < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--iterations must be 0 or more");
        }
        Installation installation = Installation.locate();
        Path work = workDir != null ? workDir : installation.home().resolve(".tidemark/quickstart");
        QuickstartRun run = new QuickstartRun(installation, work, new Console(System.out),
                pgUrl, pgUser, pgPassword, databasePrefix, iterations);
        return run.execute();
    }
}
