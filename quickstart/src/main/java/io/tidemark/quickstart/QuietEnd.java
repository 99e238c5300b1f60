package io.tidemark.quickstart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidemark.quickstart.demo.PostgresInstance;
import io.tidemark.quickstart.demo.Workload;
import io.tidemark.quickstart.progress.CompletedIteration;
import io.tidemark.quickstart.progress.IterationLedger;
import io.tidemark.quickstart.stack.ControlApiServer;

/**
 * How a run with {@code --iterations} ends: the workload stops, the quickstart waits for an
 * iteration whose marker the source wrote after the workload's last change, and then proves that
 * the target holds what the source holds with the verification a user would run
 * ({@code POST /projects/{p}/verify}, as {@code bin/tidemark verify}). A target that is not in sync
 * fails the run: the demo must never end on a silent difference.
 */
final class QuietEnd {

    private static final Duration LAST_CHANGE_APPLIED = Duration.ofSeconds(90);
    private static final Duration VERIFY_TIMEOUT = Duration.ofMinutes(3);

    private final Console console;
    private final PostgresInstance postgres;
    private final String targetDatabase;
    private final IterationLedger ledger;
    private final ControlApiServer api;
    private final String project;

    QuietEnd(Console console, PostgresInstance postgres, String targetDatabase, IterationLedger ledger,
             ControlApiServer api, String project) {
        this.console = console;
        this.postgres = postgres;
        this.targetDatabase = targetDatabase;
        this.ledger = ledger;
        this.api = api;
        this.project = project;
    }

    /** Stops the workload, waits for its last change in the target, verifies; throws when not in sync. */
    void run(Workload workload, String logHint) {
        workload.close(); // joins its last transaction: every change is committed before the clock is read
        long stoppedAt = System.currentTimeMillis();
        console.step("workload stopped after " + workload.changes() + " changed rows; waiting for an iteration"
                + " whose marker comes after its last change");
        AtomicReference<CompletedIteration> last = new AtomicReference<>();
        Waits.until("an iteration after the workload's last change", LAST_CHANGE_APPLIED, "see " + logHint, () -> {
            try (Connection c = postgres.connect(targetDatabase)) {
                last.set(ledger.appliedWithMarkerAfter(c, stoppedAt));
                return last.get() != null;
            }
        });
        console.step("iteration " + last.get().iteration() + " applied: every change of the workload is in the target;"
                + " verifying it against the source (bin/tidemark verify " + project + ")");
        String message = verify();
        console.step("verify: " + message);
        if (!message.startsWith("IN_SYNC")) {
            throw new QuickstartException("the target does not hold what the source holds: " + message
                    + "; bin/tidemark verify " + project + " lists the differences (" + logHint + ")");
        }
    }

    private String verify() {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String token = Files.readString(api.tokenFile()).strip();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api.url() + "/projects/" + project
                            + "/verify")).timeout(VERIFY_TIMEOUT).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(answer.body());
            if (answer.statusCode() != 200) {
                throw new QuickstartException("the verification was refused (HTTP " + answer.statusCode() + "): "
                        + body.path("message").asText(answer.body()));
            }
            return body.path("message").asText();
        } catch (IOException e) {
            throw new QuickstartException("the control API at " + api.url() + " did not answer the verification: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuickstartException("interrupted");
        }
    }
}
