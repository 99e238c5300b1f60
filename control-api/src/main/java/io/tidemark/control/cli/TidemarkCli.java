package io.tidemark.control.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bin/tidemark}: the operator's command line. {@code serve} runs the control API; the
 * project verbs ({@code start}, {@code pause}, {@code soft-stop}, {@code stop}, {@code status}, …)
 * and {@code table …} call it; {@code license …} works offline.
 *
 * <p>Exit codes, the same for every verb: {@value #OK} done; {@value #REFUSED} refused or the thing
 * checked did not pass (an action the status does not allow, a failed precheck, a license key that
 * does not verify); {@value #USAGE} the command line, a file it names or the request is wrong (also
 * an unknown project or table, a missing or wrong token); {@value #FAILED} anything else (the API,
 * Connect or a database does not answer); {@value #PENDING} the action was asked for but the state
 * did not come within the wait.
 */
@Command(name = "tidemark",
        description = "Tidemark: live Oracle to PostgreSQL migration through Kafka Connect.",
        footer = {"", "bin/tidemark quickstart runs the whole pipeline on this machine (bin/tidemark quickstart --help)."},
        subcommands = {ServeCommand.class, StatusCommand.class, ProjectVerbs.Start.class, ProjectVerbs.Pause.class,
                ProjectVerbs.SoftStop.class, ProjectVerbs.Stop.class, ProjectVerbs.Restart.class,
                ProjectVerbs.Precheck.class, ProjectVerbs.Delete.class, TableCommand.class, LicenseCommand.class,
                CommandLine.HelpCommand.class})
public final class TidemarkCli {

    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;
    public static final int PENDING = 4;

    @Mixin
    HelpOption help;

    public static void main(String[] args) {
        CommandLine cli = commandLine();
        int exitCode = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(exitCode);
    }

    /** The command line with Tidemark's error reporting and exit codes; tests run it with their own writers. */
    public static CommandLine commandLine() {
        return new CommandLine(new TidemarkCli())
                .setParameterExceptionHandler(TidemarkCli::usageError)
                .setExecutionExceptionHandler(TidemarkCli::failure);
    }

    // One line saying what is wrong and where to read more, rather than the whole usage text.
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println("error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
        return USAGE;
    }

    private static int failure(Exception e, CommandLine failed, CommandLine.ParseResult parseResult) {
        PrintWriter err = failed.getErr();
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            // The JDK's file exceptions carry the path as their message and the problem as their type.
            Throwable io = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
            err.println("error: " + io.getClass().getSimpleName() + ": " + io.getMessage());
        } else {
            err.println("error: unexpected failure, please report it with this trace:");
            e.printStackTrace(err);
        }
        return FAILED;
    }
}
