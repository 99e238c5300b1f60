package io.tidemark.control.cli;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidemark.control.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tidemark verify PROJECT}: proves the target equals the source, table by table, at one applied
 * iteration (docs/verification.md). Progress on stderr; the tables, then the differences, on stdout.
 */
@Command(name = "verify", description = {"Verify that the target holds what the source holds, table by table, at one "
        + "applied iteration: count and checksum per key range in both databases, the differing ranges bisected, each "
        + "differing key named with its columns. Results are kept in the control schema (tidemark status shows the last).",
    "Exits 0 in sync, 1 out of sync, 3 failed, 4 when differences were still in flight."})
final class VerifyCommand extends ProjectVerbs.OnProject {

    @Option(names = "--tables", split = ",", paramLabel = "TABLE", description = "Only these source tables (SCHEMA.TABLE).")
    List<String> tables;

    @Option(names = "--iteration", paramLabel = "N", description = "Wait until iteration N is applied, then verify.")
    Long iteration;

    @Option(names = "--changed-since", paramLabel = "N", description = {"Compare only the keys changed in the iterations "
            + "after N (N+1 up to the one verified), read back from the tables' topics; a row not changed since N is not "
            + "looked at. A table without a key is compared whole, and the result says so."})
    Long changedSince;

    @Option(names = "--since-verified", description = "Compare, per table, only what changed since its \"verified "
            + "through\" mark; a table never verified is compared whole.")
    boolean sinceVerified;

    @Option(names = "--only-mismatches", description = "Show only the tables that are not in sync.")
    boolean onlyMismatches;

    @Option(names = "--repair", description = {"Re-read the differing keys from the source through the pipeline "
            + "(Debezium's incremental snapshot signal); rows only the target has go to a correction SQL file, never run."})
    boolean repair;

    @Option(names = "--confirm-wait", paramLabel = "SECONDS", description = "How long the confirm pass waits for the "
            + "pipeline's lag (default 60).")
    Long confirmWait;

    @Override
    int run(ApiClient client) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (tables != null) {
            tables.forEach(body.putArray("tables")::add);
        }
        if (iteration != null) {
            body.put("iteration", iteration);
        }
        if (changedSince != null) {
            body.put("changedSince", changedSince);
        }
        if (sinceVerified) {
            body.put("sinceVerified", true);
        }
        if (confirmWait != null) {
            body.put("confirmWaitSeconds", confirmWait);
        }
        body.put("onlyMismatches", onlyMismatches);
        body.put("repair", repair);
        ApiClient.Answer a = client.send("POST", ApiClient.path("projects", project, "verify"), body, line -> {
            err().println("  " + line);
            err().flush();
        });
        JsonNode result = client.send("GET", ApiClient.path("projects", project, "verification"), null, null).body();
        if (api.json) {
            out().println(pretty(result));
        } else {
            print(result);
            out().println(a.body().path("message").asText());
        }
        return switch (result.path("status").asText()) {
            case "IN_SYNC" -> TidemarkCli.OK;
            case "DIFFERENT" -> TidemarkCli.REFUSED;
            case "IN_FLIGHT" -> TidemarkCli.PENDING;
            default -> TidemarkCli.FAILED;
        };
    }

    private void print(JsonNode result) {
        out().printf("%-10s %-24s %-8s %10s %12s %12s %8s %10s %12s%n", "STATUS", "TABLE", "MODE", "ITERATION",
                "SOURCE ROWS", "TARGET ROWS", "RANGES", "DIFFERENT", "ROWS/S");
        for (JsonNode t : result.path("tables")) {
            if (onlyMismatches && "IN_SYNC".equals(t.path("status").asText())) {
                continue;
            }
            out().printf("%-10s %-24s %-8s %10s %12d %12d %8d %10d %12d%n", t.path("status").asText(),
                    t.path("table").asText(), t.path("mode").asText(), t.path("iteration").asText("-"),
                    t.path("sourceRows").asLong(), t.path("targetRows").asLong(), t.path("ranges").asLong(),
                    t.path("differences").asLong(), t.path("rowsPerSecond").asLong());
            if (!t.path("note").isNull() && !t.path("note").isMissingNode()) {
                out().println("           " + t.path("note").asText());
            }
            for (JsonNode d : t.path("differing")) {
                out().printf("           %s key %s %s%s%n", d.path("verdict").asText(), d.path("key"), d.path("kind").asText(),
                        "DIFFERENT".equals(d.path("kind").asText()) ? " " + d.path("columns") + ": source "
                                + d.path("sourceValues") + ", target " + d.path("targetValues") : "");
            }
        }
    }
}
