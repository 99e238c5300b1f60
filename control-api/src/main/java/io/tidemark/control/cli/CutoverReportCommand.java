package io.tidemark.control.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tidemark cutover-report PROJECT [--markdown]}: the newest cutover report, kept in the control schema. */
@Command(name = "cutover-report", description = "Show the project's newest cutover (or finalize) report.")
final class CutoverReportCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Option(names = "--markdown", description = "The report as Markdown, for the change record.")
    boolean markdown;

    @Override
    int run(ApiClient client) {
        String path = ApiClient.path("projects", project, "cutover", "report");
        if (markdown) {
            out().print(client.get(path + "?format=markdown").body().asText());
            return TidemarkCli.OK;
        }
        ApiClient.Answer a = client.get(path);
        out().print(api.json ? pretty(a.body()) + "\n" : ReportText.of(a.body()));
        return TidemarkCli.OK;
    }
}
