package io.tidemark.control.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tidemark wait PROJECT --for RUNNING|STOPPED|iteration=N}: blocks until the project is in the
 * state, or has applied iteration N, for scripts that chain steps. Exit 0 when it came,
 * {@value TidemarkCli#PENDING} when the timeout passed first, {@value TidemarkCli#REFUSED} when the
 * project FAILED (it will not get there by itself).
 */
@Command(name = "wait", description = {"Wait until the project is RUNNING or STOPPED, or has applied iteration N.",
        "Exits 0 when it is, 4 when --timeout passed first, 1 when the project FAILED meanwhile."})
final class WaitCommand extends ApiCommand {

    private static final Duration POLL = Duration.ofSeconds(2);

    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Option(names = "--for", required = true, paramLabel = "CONDITION",
            description = "RUNNING, STOPPED, or iteration=N (applied, complete in the target).")
    String condition;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "How long to wait (default: ${DEFAULT-VALUE}).")
    long timeout;

    @Override
    int run(ApiClient client) {
        Condition wanted = Condition.parse(condition);
        Instant deadline = Instant.now().plusSeconds(timeout);
        String last = "";
        while (true) {
            JsonNode s = client.get(ApiClient.path("projects", project)).body();
            String state = s.path("state").asText();
            String now = state + ", last applied iteration " + s.path("completed").path("lastIteration").asText("none");
            if (wanted.met(s)) {
                out().println("project " + project + ": " + now);
                return TidemarkCli.OK;
            }
            if ("FAILED".equals(state)) {
                err().println("error: project " + project + " FAILED while waiting for " + condition
                        + ": tidemark status " + project + " shows why");
                return TidemarkCli.REFUSED;
            }
            if (!now.equals(last)) {
                err().println("  waiting for " + condition + ": " + now);
                err().flush();
                last = now;
            }
            if (Instant.now().isAfter(deadline)) {
                err().println("error: " + condition + " did not come within " + timeout + " s (" + now + ")");
                return TidemarkCli.PENDING;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return TidemarkCli.PENDING;
            }
        }
    }

    /** What {@code --for} asks for. */
    record Condition(String state, long iteration) {

        static Condition parse(String text) {
            String t = text.strip();
            if (t.toLowerCase(Locale.ROOT).startsWith("iteration=")) {
                try {
                    return new Condition(null, Long.parseLong(t.substring("iteration=".length())));
                } catch (NumberFormatException e) {
                    throw new ApiClient.ApiException(TidemarkCli.USAGE, "--for iteration=N takes a whole number, not '"
                            + t + "'");
                }
            }
            String state = t.toUpperCase(Locale.ROOT);
            if (!state.equals("RUNNING") && !state.equals("STOPPED")) {
                throw new ApiClient.ApiException(TidemarkCli.USAGE, "--for takes RUNNING, STOPPED or iteration=N, not '"
                        + text + "'");
            }
            return new Condition(state, -1);
        }

        boolean met(JsonNode status) {
            if (state != null) {
                return state.equals(status.path("state").asText());
            }
            JsonNode last = status.path("completed").path("lastIteration");
            return last.isNumber() && last.asLong() >= iteration;
        }
    }
}
