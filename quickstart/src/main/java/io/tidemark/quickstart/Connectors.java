package io.tidemark.quickstart;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.quickstart.stack.ConnectRest;
import io.tidemark.quickstart.stack.ConnectWorker;

/** Creates the shipped connectors through Connect's REST API, as a GitOps pipeline would, and watches them. */
final class Connectors {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final ConnectWorker worker;
    private final Console console;

    Connectors(ConnectWorker worker, Console console) {
        this.worker = worker;
        this.console = console;
    }

    /** Validates the file through the worker, PUTs it, and waits until the connector and its tasks run. */
    void create(ConnectorFile connector) {
        ConnectRest rest = worker.rest();
        Map<String, String> config = new HashMap<>(connector.config());
        config.put("name", connector.name());
        List<String> errors = rest.validate(connector.plugin(), config);
        if (!errors.isEmpty()) {
            throw new QuickstartException(connector.file() + " does not validate on the worker:\n  "
                    + String.join("\n  ", errors));
        }
        rest.putConnector(connector.name(), connector.config());
        Waits.until("connector " + connector.name() + " and its " + connector.tasks() + " task(s) RUNNING", START_TIMEOUT,
                "see " + worker.log(), () -> {
                    worker.checkAlive();
                    JsonNode status = rest.status(connector.name());
                    return status != null && running(connector.name(), status, connector.tasks());
                });
        console.step("connector " + connector.name() + " running (" + connector.plugin() + ", "
                + connector.tasks() + (connector.tasks() == 1 ? " task)" : " tasks)"));
    }

    /** Whether it runs with that many tasks; throws with Connect's trace when the connector or a task failed. */
    static boolean running(String name, JsonNode status, int tasks) {
        failure(name, status);
        return "RUNNING".equals(status.path("connector").path("state").asText())
                && status.path("tasks").size() == tasks
                && allRunning(status.path("tasks"));
    }

    private static boolean allRunning(JsonNode tasks) {
        for (JsonNode task : tasks) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** Throws when the connector or one of its tasks FAILED, with the start of Connect's trace. */
    static void failure(String name, JsonNode status) {
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            throw new QuickstartException("connector " + name + " FAILED:\n" + trace(status.path("connector")));
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                throw new QuickstartException("connector " + name + ", task " + task.path("id").asText() + " FAILED:\n"
                        + trace(task));
            }
        }
    }

    private static String trace(JsonNode state) {
        return state.path("trace").asText("(no trace)").lines().limit(8).map(l -> "  | " + l)
                .collect(Collectors.joining("\n"));
    }
}
