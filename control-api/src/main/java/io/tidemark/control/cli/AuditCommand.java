package io.tidemark.control.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tidemark audit PROJECT}: the actions asked of the project, newest first, with who asked (the token's name). */
@Command(name = "audit", description = {"List the actions asked of the project, newest first: when, who (the token's "
        + "name), what, and what came of it."})
final class AuditCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "At most N entries (default: "
            + "${DEFAULT-VALUE}, at most 1000).")
    int limit;

    @Override
    int run(ApiClient client) {
        JsonNode entries = client.get(ApiClient.path("projects", project, "audit") + "?limit=" + limit).body();
        if (api.json) {
            out().println(pretty(entries));
            return TidemarkCli.OK;
        }
        if (entries.isEmpty()) {
            out().println("no action recorded for project " + project);
            return TidemarkCli.OK;
        }
        out().printf("%-27s %-14s %-7s %-44s %-6s %s%n", "AT", "WHO", "METHOD", "PATH", "STATUS", "OUTCOME");
        for (JsonNode e : entries) {
            String request = e.hasNonNull("request") && !"{}".equals(e.get("request").asText())
                    ? " " + e.get("request").asText() : "";
            out().printf("%-27s %-14s %-7s %-44s %-6s %s%s%n", e.path("at").asText(), e.path("caller").asText("-"),
                    e.path("method").asText(), e.path("path").asText() + request, e.path("status").asText(),
                    e.path("outcome").asText(), e.hasNonNull("message") ? ": " + e.get("message").asText() : "");
        }
        return TidemarkCli.OK;
    }
}
