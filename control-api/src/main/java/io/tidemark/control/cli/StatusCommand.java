package io.tidemark.control.cli;

import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tidemark status [PROJECT] [--watch]}: the project's status as a readable table, or the API's
 * JSON. Exits {@value TidemarkCli#REFUSED} when the project is FAILED or UNKNOWN, so that a script
 * or a probe can tell.
 */
@Command(name = "status", description = {"Show a project's status: connectors and tasks, tables, iterations, license.",
        "Without PROJECT: the projects the API serves.",
        "Exits 0, or 1 when the project is FAILED or UNKNOWN."})
final class StatusCommand extends ApiCommand {

    static final Set<String> UNHEALTHY = Set.of("FAILED", "UNKNOWN");

    @Parameters(index = "0", arity = "0..1", paramLabel = "PROJECT")
    String project;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "5", paramLabel = "SECONDS",
            description = "Show the status again every SECONDS (default 5) until Ctrl-C.")
    Integer watch;

    @Override
    int run(ApiClient client) {
        if (watch != null && watch < 1) {
            throw new ApiClient.ApiException(TidemarkCli.USAGE, "--watch takes a whole number of seconds, 1 or more");
        }
        while (true) {
            int code = once(client);
            if (watch == null) {
                return code;
            }
            out().flush();
            try {
                Thread.sleep(Duration.ofSeconds(watch).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return code;
            }
            if (System.console() != null) {
                out().print("\033[H\033[2J"); // a terminal: the status in place, as watch(1) shows it
            } else {
                out().println();
            }
        }
    }

    private int once(ApiClient client) {
        ApiClient.Answer a = client.get(project == null ? "/projects" : ApiClient.path("projects", project));
        if (api.json) {
            out().println(pretty(a.body()));
        } else if (project == null) {
            a.body().forEach(p -> out().printf("%-20s source %-24s sink %-24s %s%n", p.path("name").asText(),
                    p.path("source").asText(), p.path("sink").asText(), p.path("managedBy").asText()));
        } else {
            out().print(StatusText.render(a.body()));
            out().println(lastVerification(client));
        }
        return project != null && unhealthy(a.body()) ? TidemarkCli.REFUSED : TidemarkCli.OK;
    }

    /** The last verification's line (docs/verification.md), or that none ran. */
    private String lastVerification(ApiClient client) {
        JsonNode v;
        try {
            v = client.get(ApiClient.path("projects", project, "verification")).body();
        } catch (ApiClient.ApiException e) {
            return "verification: not known (" + e.getMessage() + ")";
        }
        if (!v.has("run")) {
            return "verification: none yet (tidemark verify " + project + ")";
        }
        StringBuilder marks = new StringBuilder();
        v.path("marks").forEach(m -> marks.append(marks.isEmpty() ? "" : ", ").append(m.path("table").asText())
                .append(' ').append(m.path("iteration").asText()));
        return "verification: run " + v.path("run").asText() + " " + v.path("status").asText() + " at "
                + v.path("finishedAt").asText(v.path("startedAt").asText()) + ": " + v.path("message").asText()
                + (marks.isEmpty() ? "" : "\nverified through: " + marks);
    }

    static boolean unhealthy(JsonNode status) {
        return UNHEALTHY.contains(status.path("state").asText());
    }
}
