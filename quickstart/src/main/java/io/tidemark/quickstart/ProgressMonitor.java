package io.tidemark.quickstart;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.quickstart.demo.PostgresInstance;
import io.tidemark.quickstart.demo.Workload;
import io.tidemark.quickstart.progress.CompletedIteration;
import io.tidemark.quickstart.progress.IterationLedger;
import io.tidemark.quickstart.progress.LicenseUse;
import io.tidemark.quickstart.progress.LoadLine;
import io.tidemark.quickstart.progress.ProgressLine;
import io.tidemark.quickstart.stack.ConnectWorker;
import io.tidemark.quickstart.stack.KafkaBroker;

/**
 * Prints a line per iteration the sink completes, read from its ledger in the target database,
 * and watches the processes and connectors meanwhile: a process that ends or a task that fails
 * ends the quickstart with the reason; an iteration that does not come says where to look.
 */
final class ProgressMonitor {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STATUS_EVERY = Duration.ofSeconds(5);
    // The demo closes an iteration every 5 s: a minute without one is a problem worth a line.
    private static final Duration STALL_NOTE = Duration.ofSeconds(60);
    private static final Duration STALL_FAIL = Duration.ofSeconds(180);
    private static final Duration NO_LEDGER_FAIL = Duration.ofSeconds(30);
    // While iteration 0 runs: the initial load's progress, at most this often.
    private static final Duration LOAD_EVERY = Duration.ofSeconds(5);

    private final Console console;
    private final PostgresInstance postgres;
    private final String targetDatabase;
    private final IterationLedger ledger;
    private final LoadLine load;
    private final KafkaBroker broker;
    private final ConnectWorker worker;
    private final List<ConnectorFile> connectors;
    private final Workload workload;

    ProgressMonitor(Console console, PostgresInstance postgres, String targetDatabase, String project, KafkaBroker broker,
                    ConnectWorker worker, List<ConnectorFile> connectors, Workload workload) {
        this.console = console;
        this.postgres = postgres;
        this.targetDatabase = targetDatabase;
        this.ledger = new IterationLedger("tidemark", project);
        this.load = new LoadLine("tidemark", project);
        this.broker = broker;
        this.worker = worker;
        this.connectors = connectors;
        this.workload = workload;
    }

    /** Until {@code iterations} completed (0: until {@code stopping}). */
    void run(int iterations, BooleanSupplier stopping) throws SQLException {
        long started = System.nanoTime();
        long lastProgress = started;
        long lastNote = started;
        long lastStatus = 0;
        long lastLoad = started;
        long lastIteration = -1;
        int completed = 0;
        boolean ledgerSeen = false;
        Connection c = null;
        try {
            while (!stopping.getAsBoolean()) {
                broker.checkAlive();
                worker.checkAlive();
                long now = System.nanoTime();
                if (now - lastStatus > STATUS_EVERY.toNanos()) {
                    checkConnectors();
                    lastStatus = now;
                }
                try {
                    if (c == null) {
                        c = postgres.connect(targetDatabase);
                    }
                    ledgerSeen = ledgerSeen || ledger.exists(c); // once created, the ledger stays
                    if (!ledgerSeen) {
                        if (now - started > NO_LEDGER_FAIL.toNanos() && ledger.controlSchemaExists(c)) {
                            throw new QuickstartException("the sink runs, but its control schema in " + targetDatabase
                                    + " has no iteration ledger (table tidemark.iteration, docs/control-schema.md): this build"
                                    + " of the sink predates it, so the quickstart cannot show iterations");
                        }
                    } else {
                        List<CompletedIteration> done = ledger.completedAfter(c, lastIteration);
                        if (!done.isEmpty()) {
                            LicenseUse license = ledger.license(c);
                            for (CompletedIteration it : done) {
                                console.step(ProgressLine.of(it, license));
                                lastIteration = it.iteration();
                                completed++;
                                if (iterations > 0 && completed >= iterations) {
                                    console.step(completed + (completed == 1 ? " iteration" : " iterations") + " completed; the workload"
                                            + " changed " + workload.changes() + " rows meanwhile");
                                    return;
                                }
                            }
                            lastProgress = now;
                        } else if (lastIteration < 0 && now - lastLoad > LOAD_EVERY.toNanos()) {
                            String line = load.read(c);
                            if (line != null) {
                                console.step(line);
                            }
                            lastLoad = now;
                        }
                    }
                } catch (SQLException e) {
                    close(c);
                    c = null;
                    console.step("cannot read the progress from " + targetDatabase + " (" + e.getMessage() + "); trying again");
                }
                if (now - lastProgress > STALL_FAIL.toNanos() && iterations > 0) {
                    throw new QuickstartException("no iteration completed for " + STALL_FAIL.toSeconds() + " s; see "
                            + worker.log() + " and the table tidemark.table_state in " + targetDatabase);
                }
                if (now - lastProgress > STALL_NOTE.toNanos() && now - lastNote > STALL_NOTE.toNanos()) {
                    console.step("no iteration completed for " + (now - lastProgress) / 1_000_000_000 + " s; connectors: "
                            + states() + "; see " + worker.log());
                    lastNote = now;
                }
                Waits.sleep(POLL);
            }
        } finally {
            close(c);
        }
    }

    private void checkConnectors() {
        for (ConnectorFile connector : connectors) {
            JsonNode status = worker.rest().status(connector.name());
            if (status != null) {
                Connectors.failure(connector.name(), status);
            }
        }
    }

    private String states() {
        StringBuilder b = new StringBuilder();
        for (ConnectorFile connector : connectors) {
            JsonNode status = worker.rest().status(connector.name());
            b.append(b.length() == 0 ? "" : ", ").append(connector.name()).append(' ')
                    .append(status == null ? "unknown" : status.path("connector").path("state").asText());
        }
        return b.toString();
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // gone anyway
            }
        }
    }
}
