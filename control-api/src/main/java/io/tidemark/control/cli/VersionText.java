package io.tidemark.control.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.Version;
import picocli.CommandLine;

/**
 * {@code tidemark --version}: the CLI's version, then what it talks to when the control API answers
 * (the API's version, each project's Connect cluster and the plugins it runs), or why not.
 */
final class VersionText implements CommandLine.IVersionProvider {

    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @Override
    public String[] getVersion() {
        List<String> lines = new ArrayList<>();
        lines.add("tidemark CLI " + Version.current());
        ApiOptions options = new ApiOptions();
        try {
            JsonNode v = options.client().get("/version", PATIENCE).body();
            lines.add("control API " + v.path("api").asText() + " at " + options.url());
            for (JsonNode p : v.path("projects")) {
                if (p.hasNonNull("problem")) {
                    lines.add("  project " + p.path("project").asText() + ": " + p.path("problem").asText());
                    continue;
                }
                lines.add("  project " + p.path("project").asText() + ": Kafka Connect " + p.path("connect").asText());
                for (JsonNode plugin : p.path("plugins")) {
                    lines.add("    " + plugin.path("type").asText() + " " + plugin.path("class").asText() + " "
                            + plugin.path("version").asText());
                }
            }
        } catch (ApiClient.ApiException e) {
            lines.add("control API at " + options.url() + ": " + e.getMessage());
        }
        return lines.toArray(new String[0]);
    }
}
