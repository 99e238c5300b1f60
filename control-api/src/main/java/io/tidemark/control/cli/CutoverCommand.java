package io.tidemark.control.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tidemark cutover PROJECT}: the plan first, written to the SQL file for review; then (unless
 * {@code --plan-only}) the cutover itself, its progress on stderr, its report on stdout.
 */
@Command(name = "cutover", description = {"Cut the project over: precheck, soft stop to a final iteration, the structure "
        + "the load left out restored on the target (indexes, constraints, defaults, sequences), a report. The plan is "
        + "written to the SQL file first. Run it again to go on where it stopped (docs/cutover.md).",
        "Exits 0 when done (or planned), 1 when refused or the final verification found tables out of sync, 3 when a statement failed (the report says which), "
                + "4 when the soft stop did not end within the wait."})
final class CutoverCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "The project, as the API serves it.")
    String project;

    @Option(names = "--plan-only", description = "Write the SQL file and stop: nothing is stopped or changed.")
    boolean planOnly;

    @Option(names = "--skip-verify", description = "Go on to the restore even when the final verification finds tables "
            + "out of sync (the report says so).")
    boolean skipVerify;

    @Option(names = "--full-verify", description = "Compare every table whole at the final verification, not only what "
            + "changed since its \"verified through\" mark.")
    boolean fullVerify;

    @Option(names = "--sql-file", paramLabel = "FILE", description = "Where the plan is written (default: "
            + "PROJECT-cutover.sql in the current directory).")
    Path sqlFile;

    @Option(names = "--parallel", paramLabel = "N", description = "Index builds at once (default 2).")
    Integer parallel;

    @Mixin
    WaitOption wait;

    @Override
    int run(ApiClient client) {
        Path file = sqlFile != null ? sqlFile : Path.of(project + "-cutover.sql");
        ObjectNode body = wait.body();
        if (parallel != null) {
            body.put("parallel", parallel);
        }
        String path = ApiClient.path("projects", project, "cutover");
        ObjectNode planBody = body.deepCopy();
        planBody.put("planOnly", true);
        JsonNode plan = client.send("POST", path, planBody, this::progress).body();
        write(file, plan.path("sql").asText());
        err().println("plan written to " + file.toAbsolutePath() + " (" + plan.path("message").asText() + ")");
        JsonNode report = plan;
        if (!planOnly) {
            body.put("planOnly", false);
            if (skipVerify) {
                body.put("skipVerify", true);
            }
            if (fullVerify) {
                body.put("fullVerify", true);
            }
            report = client.send("POST", path, body, this::progress).body();
            write(file, report.path("sql").asText());
        }
        out().print(api.json ? pretty(report) + "\n" : ReportText.of(report));
        return exitCode(report.path("outcome").asText());
    }

    static int exitCode(String outcome) {
        return switch (outcome) {
            case "DONE", "PLANNED" -> TidemarkCli.OK;
            case "PENDING" -> TidemarkCli.PENDING;
            case "NOT_VERIFIED" -> TidemarkCli.REFUSED;
            default -> TidemarkCli.FAILED;
        };
    }

    private void progress(String line) {
        err().println("  " + line);
        err().flush();
    }

    private static void write(Path file, String sql) {
        try {
            Files.writeString(file, sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
