package io.tidemark.quickstart;

import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

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
        String message = api.verify(project, VERIFY_TIMEOUT);
        console.step("verify: " + message);
        if (!message.startsWith("IN_SYNC")) {
            throw new QuickstartException("the target does not hold what the source holds: " + message
                    + "; bin/tidemark verify " + project + " lists the differences (" + logHint + ")");
        }
    }
}
