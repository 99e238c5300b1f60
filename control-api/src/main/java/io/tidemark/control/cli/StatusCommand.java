package io.tidemark.control.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tidemark status [PROJECT]}: the project's status as a readable table, or the API's JSON. */
@Command(name = "status", description = {"Show a project's status: connectors and tasks, tables, iterations, license.",
        "Without PROJECT: the projects the API serves."})
final class StatusCommand extends ApiCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROJECT")
    String project;

    @Override
    int run(ApiClient client) {
        ApiClient.Answer a = client.get(project == null ? "/projects" : ApiClient.path("projects", project));
        if (api.json) {
            out().println(pretty(a.body()));
        } else if (project == null) {
            a.body().forEach(p -> out().printf("%-20s source %-24s sink %-24s %s%n", p.path("name").asText(),
                    p.path("source").asText(), p.path("sink").asText(), p.path("managedBy").asText()));
        } else {
            out().print(StatusText.render(a.body()));
        }
        return TidemarkCli.OK;
    }
}
