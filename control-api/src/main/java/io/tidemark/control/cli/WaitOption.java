package io.tidemark.control.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidemark.control.api.Json;
import picocli.CommandLine.Option;

/** {@code --wait SECONDS}, on the verbs that wait for Connect and the sink (and only there). */
final class WaitOption {

    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "How long to wait for Connect and the sink (default: the project's waitSeconds).")
    Long seconds;

    ObjectNode body() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        if (seconds != null) {
            body.put("waitSeconds", seconds);
        }
        return body;
    }
}
