package io.tidemark.control.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bin/tidemark}: the operator's command line. {@code serve} runs the control API; the
 * project verbs ({@code start}, {@code pause}, {@code soft-stop}, {@code stop}, {@code status},
 * {@code wait}, {@code audit}, …) and {@code table …} call it; {@code license …} works offline.
 *
 * <p>Exit codes, one table for every verb and for {@code bin/tidemark quickstart} (docs/control-api.md):
 * {@value #OK} done; {@value #REFUSED} refused, or what was checked did not pass (an action the
 * status does not allow, a failed precheck, a project FAILED or UNKNOWN, a license key that does not
 * verify); {@value #USAGE} the command line, a file it names or the request is wrong (also an unknown
 * project or table, a missing or wrong token, a scope the token lacks); {@value #FAILED} a failure
 * (the API, Connect or a database does not answer or answered with an error, a quickstart step
 * failed); {@value #PENDING} asked for, but the state did not come within the wait; 130 interrupted.
 */
@Command(name = "tidemark", versionProvider = VersionText.class,
        description = "Tidemark: live Oracle to PostgreSQL migration through Kafka Connect.",
        footer = {"", "bin/tidemark quickstart runs the whole pipeline on this machine (bin/tidemark quickstart --help).",
                "Exit codes: 0 done, 1 refused or not passed, 2 usage, 3 failure, 4 not within the wait."},
        subcommands = {ServeCommand.class, StatusCommand.class, WaitCommand.class, AuditCommand.class,
                ProjectVerbs.Start.class, ProjectVerbs.Pause.class, ProjectVerbs.SoftStop.class, ProjectVerbs.Stop.class,
                ProjectVerbs.Restart.class, ProjectVerbs.Precheck.class, ProjectVerbs.Delete.class, CutoverCommand.class,
                CutoverReportCommand.class, TableCommand.class, VerifyCommand.class,
                LicenseCommand.class, AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class})
public final class TidemarkCli {

    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int FAILED = 3;
    public static final int PENDING = 4;

    @Mixin
    HelpOption help;

    @CommandLine.Option(names = {"-V", "--version"}, versionHelp = true,
            description = "Print the CLI's version and, when the control API answers, its version and the plugins it "
                    + "talks to, and exit.")
    boolean version;

    public static void main(String[] args) {
        CommandLine cli = commandLine();
        int exitCode = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(exitCode);
    }

    /** The command line with Tidemark's error reporting and exit codes; tests run it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TidemarkCli())
                .setParameterExceptionHandler(TidemarkCli::usageError)
                .setExecutionExceptionHandler(TidemarkCli::failure);
        // picocli's completion script generator, as "tidemark generate-completion"; not a verb to show first.
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cli;
    }

    /** The exit code of an HTTP status the API answered with. */
    static int exitCodeOf(int status) {
        if (status == 409) {
            return REFUSED;
        }
        return status >= 500 || status == 429 ? FAILED : USAGE;
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
        if (e instanceof ApiClient.ApiException api) {
            err.println("error: " + api.getMessage());
            return api.exitCode;
        }
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
