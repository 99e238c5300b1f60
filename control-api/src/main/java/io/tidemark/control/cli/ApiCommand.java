package io.tidemark.control.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidemark.control.api.Json;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A verb that calls the control API: its options, its error (a line on stderr, or with
 * {@code --json} the error as JSON on stdout), its exit code.
 */
abstract class ApiCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            return run(api.client());
        } catch (ApiClient.ApiException e) {
            if (api.json) {
                ObjectNode error = Json.MAPPER.createObjectNode();
                if (e.status > 0) {
                    error.put("status", e.status);
                } else {
                    error.putNull("status");
                }
                error.put("error", e.kind);
                error.put("message", e.getMessage());
                error.put("exitCode", e.exitCode);
                out().println(pretty(error));
            } else {
                err().println("error: " + e.getMessage() + (e.status > 0 ? " [HTTP " + e.status + "]" : ""));
            }
            return e.exitCode;
        }
    }

    abstract int run(ApiClient client);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Runs an action, showing its progress on stderr while it waits; prints its outcome (or the JSON)
     * on stdout. Exit 0 when done, {@value TidemarkCli#PENDING} when the wait ended first.
     */
    int action(ApiClient client, String method, String path, JsonNode body) {
        ApiClient.Answer a = client.send(method, path, body, line -> {
            err().println("  " + line);
            err().flush();
        });
        if (api.json) {
            out().println(pretty(a.body()));
        } else {
            out().println((a.status() == 200 ? "" : "pending: ") + a.body().path("message").asText());
            a.body().path("unrecorded").forEach(u -> out().println("not recorded: " + u.asText()));
        }
        return a.status() == 200 ? TidemarkCli.OK : TidemarkCli.PENDING;
    }

    static String pretty(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (Exception e) {
            return String.valueOf(node);
        }
    }
}
