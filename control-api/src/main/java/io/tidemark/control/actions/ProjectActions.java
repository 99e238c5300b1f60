package io.tidemark.control.actions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tidemark.common.control.SoftStop;
import io.tidemark.common.control.TableStatus;
import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.connect.ConnectorLifecycle.Target;
import io.tidemark.control.connect.ConnectorState;
import io.tidemark.control.project.ConnectorFile;
import io.tidemark.control.project.DatabasePool;
import io.tidemark.control.source.SourceRequests;
import io.tidemark.control.store.ControlRows;
import io.tidemark.control.store.ControlStore;

/**
 * Start, pause, soft stop, stop, restart and delete of a project (docs/control-api.md). Every action
 * first reads Connect's status of both connectors, so a cluster that does not answer fails it with
 * nothing changed; refusals follow the sink's own rules and words (connector-common).
 */
public final class ProjectActions {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProjectActions.class);
    /** How long stop tries to record its desired state before it stops the connectors without. */
    private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(5);

    private final ProjectServices p;
    private final ConnectorSteps connectors;

    public ProjectActions(ProjectServices p) {
        this.p = p;
        this.connectors = new ConnectorSteps(p);
    }

    private Run run(String action, Duration timeout, Progress progress) {
        return new Run(action, p.project().name(), null, timeout == null ? p.project().defaultWait() : timeout, progress);
    }

    /**
     * Precheck; a bulk initial load when the source asks for one and it has not completed
     * ({@link BulkLoadStep}); missing connectors created from their files; paused or stopped ones
     * resumed; stopped tables started.
     */
    public ActionResult start(Duration timeout, Progress progress) {
        Run run = run("start", timeout, progress);
        Map<ConnectorFile, Optional<ConnectorState>> now = states();
        for (Map.Entry<ConnectorFile, Optional<ConnectorState>> e : now.entrySet()) {
            if (e.getValue().isEmpty() && !p.lifecycle().createsConnectors()) {
                throw ControlException.refused(p.lifecycle().ownerAdvice("create", e.getKey().name()));
            }
        }
        Precheck.Result check = new Precheck(p).run();
        check.checks().forEach(c -> run.say((c.ok() ? "ok    " : "FAIL  ") + c.name() + ": " + c.detail()));
        if (!check.ok()) {
            throw ControlException.refused("start refused: the precheck failed, nothing was started: " + String.join("; ",
                    check.checks().stream().filter(c -> !c.ok()).map(c -> c.name() + ": " + c.detail()).toList()));
        }
        if (new BulkLoadStep(p).runIfNeeded(now, run)) {
            now = states();
        }
        for (Map.Entry<ConnectorFile, Optional<ConnectorState>> e : now.entrySet()) {
            ConnectorFile c = e.getKey();
            if (e.getValue().isEmpty()) {
                p.connect().putConfig(c.name(), c.config());
                run.say(c.name() + ": created from " + c.file().getFileName());
            } else if (!"RUNNING".equals(e.getValue().get().state())) {
                p.lifecycle().request(c.name(), e.getValue().get().state(), Target.RUNNING);
                run.say(c.name() + ": " + e.getValue().get().state() + " -> RUNNING requested");
            }
        }
        if (!connectors.await(Target.RUNNING, run)) {
            return run.pending("the connectors are not RUNNING yet: " + connectors.describe());
        }
        if (p.requests().lastMarkerWasFinal()) {
            // After a final marker the source writes no interval markers until a CLOSE arrives.
            p.requests().request(SourceRequests.Action.CLOSE);
            run.say("source: the last marker was final; asked for a CLOSE marker so that iterations go on");
        }
        String tables = startTables(run);
        return tables == null ? run.done("project " + p.project().name() + " RUNNING")
                : run.pending(tables);
    }

    /** Sets the project (or, when it runs already, each stopped or paused table) to RUNNING; null when accepted. */
    private String startTables(Run run) {
        ControlStore control = p.control();
        try (Connection c = p.target()) {
            if (!control.exists(c) || control.project(c).isEmpty()) {
                run.say("the sink registers project " + p.project().controlProject() + " when it first starts");
                return null;
            }
            ControlRows.ProjectRow row = control.project(c).get();
            List<String> waiting = new ArrayList<>();
            if (!"RUNNING".equals(row.acceptedState()) || !"RUNNING".equals(row.desiredState())) {
                control.setProjectDesired(c, "RUNNING");
                run.say("project desired_state RUNNING (was " + row.acceptedState() + ")");
            } else {
                for (ControlRows.TableRow t : control.tables(c)) {
                    if ("STOPPED".equals(t.status()) || "PAUSED".equals(t.status())) {
                        control.setTableDesired(c, t.sourceTable(), "RUNNING");
                        waiting.add(t.sourceTable());
                        run.say(t.sourceTable() + ": desired_state RUNNING (was " + t.status() + ")");
                    }
                }
            }
            boolean accepted = run.waits.until(() -> accepted("RUNNING", waiting), "the sink to accept RUNNING");
            return accepted ? null : "the sink has not accepted RUNNING yet (it reads desired states every "
                    + "lifecycle.poll.interval.ms)";
        } catch (SQLException e) {
            throw controlFailure(e);
        }
    }

    private boolean accepted(String state, List<String> tables) {
        try (Connection c = p.target()) {
            ControlRows.ProjectRow row = p.control().project(c).orElseThrow();
            if (row.refusal() != null && !state.equals(row.acceptedState())) {
                throw ControlException.refused(row.refusal());
            }
            if (!state.equals(row.acceptedState())) {
                return false;
            }
            for (ControlRows.TableRow t : p.control().tables(c)) {
                if (tables.contains(t.sourceTable()) && !state.equals(t.acceptedState())) {
                    if (t.refusal() != null) {
                        throw ControlException.refused(t.refusal());
                    }
                    return false;
                }
            }
            return true;
        } catch (SQLException e) {
            throw controlFailure(e);
        }
    }

    /** {@code PUT …/pause} on both connectors; their tasks stay alive (Debezium keeps its LogMiner session). */
    public ActionResult pause(Duration timeout, Progress progress) {
        Run run = run("pause", timeout, progress);
        connectors.request(Target.PAUSED, run);
        return connectors.await(Target.PAUSED, run) ? run.done("project " + p.project().name() + " PAUSED")
                : run.pending("the connectors are not PAUSED yet: " + connectors.describe());
    }

    /**
     * Stop now: the project's desired state STOPPED (every table stops), then {@code PUT …/stop} on
     * both connectors. The desired state is best effort: with the target down the connectors stop
     * anyway, and the answer says what could not be recorded.
     */
    public ActionResult stop(Duration timeout, Progress progress) {
        Run run = run("stop", timeout, progress);
        Map<ConnectorFile, Optional<ConnectorState>> now = states();
        boolean sinkRuns = now.get(p.project().sink()).map(s -> "RUNNING".equals(s.state())).orElse(false);
        try (Connection c = p.target()) {
            // A target that stopped answering mid-connection must not hold the stop for the socket timeout.
            c.setNetworkTimeout(Runnable::run, (int) RECORD_TIMEOUT.toMillis());
            if (p.control().exists(c) && p.control().project(c).isPresent()) {
                p.control().setProjectDesired(c, "STOPPED");
                run.say("project desired_state STOPPED");
                if (sinkRuns) {
                    // Briefly, so that the tables show STOPPED; the connectors stop whatever the answer.
                    new Waits(Duration.ofSeconds(10), run).until(() -> accepted("STOPPED", List.of()),
                            "the sink to accept STOPPED");
                }
            }
        } catch (SQLException e) {
            // Best effort: an operator stops exactly when something is wrong; the connectors stop anyway.
            run.unrecorded("project desired_state STOPPED was not written: " + controlFailure(e).getMessage());
        } catch (ControlException e) {
            if (e.kind() != ControlException.Kind.REFUSED) {
                run.unrecorded("project desired_state STOPPED was not written: " + e.getMessage());
            } else {
                run.say("the sink refused STOPPED: " + e.getMessage());
            }
        }
        connectors.request(Target.STOPPED, run);
        return connectors.await(Target.STOPPED, run) ? run.done("project " + p.project().name() + " STOPPED")
                : run.pending("the connectors are not STOPPED yet: " + connectors.describe());
    }

    /**
     * Soft stop: every table FINALIZING, the source asked for a final marker, and once the sink has
     * applied that final iteration and every table stopped, both connectors STOPPED.
     */
    public ActionResult softStop(Duration timeout, Progress progress) {
        Run run = run("soft-stop", timeout, progress);
        Map<ConnectorFile, Optional<ConnectorState>> now = states();
        for (Map.Entry<ConnectorFile, Optional<ConnectorState>> e : now.entrySet()) {
            String state = e.getValue().map(ConnectorState::state).orElse("NOT_CREATED");
            if (!"RUNNING".equals(state)) {
                throw ControlException.refused("soft stop refused: connector " + e.getKey().name() + " is " + state
                        + " (a soft stop needs both connectors RUNNING to carry the final marker through: start the "
                        + "project first, or stop it now)");
            }
        }
        try (Connection c = p.target()) {
            if (!p.control().exists(c) || p.control().project(c).isEmpty()) {
                throw ControlException.refused("soft stop refused: the sink has not registered project "
                        + p.project().controlProject() + " yet (nothing to finish)");
            }
            Map<String, TableStatus> statuses = new LinkedHashMap<>();
            p.control().tables(c).forEach(t -> statuses.put(t.sourceTable(), TableStatus.valueOf(t.status())));
            String refusal = SoftStop.refusal(statuses);
            if (refusal != null) {
                throw ControlException.refused(refusal);
            }
            p.control().setProjectDesired(c, "SOFT_STOP");
            run.say("project desired_state SOFT_STOP");
        } catch (SQLException e) {
            throw controlFailure(e);
        }
        if (!run.waits.until(() -> accepted("SOFT_STOP", List.of()), "the sink to accept SOFT_STOP")) {
            return run.pending("the sink has not accepted SOFT_STOP yet; the final marker was not asked for");
        }
        run.say("the sink accepted: every table FINALIZING");
        long request = p.requests().request(SourceRequests.Action.FINAL);
        run.say("source: FINAL marker requested (request " + request + " in " + p.project().requestTable().qualified() + ")");
        Optional<SourceRequests.Handled> handled = run.waits.until(() -> p.requests().handled(request),
                () -> "the source to write the final marker");
        if (handled.isEmpty()) {
            return run.pending("the source has not handled the FINAL request " + request + " yet (is its task RUNNING?)");
        }
        long n = handled.get().iteration();
        run.say("source: final marker " + n + " written");
        Optional<String> applied = run.waits.until(() -> finalApplied(n), () -> finalProgress(n));
        if (applied.isEmpty()) {
            return run.pending("iteration " + n + " is not applied with every table STOPPED yet: " + finalProgress(n));
        }
        run.say("sink: final iteration " + n + " applied, every table STOPPED");
        connectors.request(Target.STOPPED, run);
        return connectors.await(Target.STOPPED, run)
                ? run.done("project " + p.project().name() + " soft-stopped after final iteration " + n)
                : run.pending("final iteration " + n + " applied, but the connectors are not STOPPED yet: "
                + connectors.describe());
    }

    private Optional<String> finalApplied(long n) {
        try (Connection c = p.target()) {
            Optional<ControlRows.IterationRow> it = p.control().iteration(c, n);
            boolean applied = it.map(i -> "APPLIED".equals(i.status()) && i.isFinal()).orElse(false);
            boolean stopped = p.control().tables(c).stream().allMatch(t -> "STOPPED".equals(t.status()));
            return applied && stopped ? Optional.of("applied") : Optional.empty();
        } catch (SQLException e) {
            throw controlFailure(e);
        }
    }

    private String finalProgress(long n) {
        try (Connection c = p.target()) {
            Optional<ControlRows.IterationRow> it = p.control().iteration(c, n);
            long stopped = p.control().tables(c).stream().filter(t -> "STOPPED".equals(t.status())).count();
            long total = p.control().tables(c).size();
            return "final iteration " + n + ": " + it.map(i -> i.status() + ", " + i.tablesCompleted() + " of "
                    + (i.tablesTotal() == null ? "?" : i.tablesTotal()) + " tables past the marker"
                    + (i.waitingFor() == null ? "" : ", waiting for " + i.waitingFor())).orElse("not seen by the sink yet")
                    + "; " + stopped + " of " + total + " tables STOPPED";
        } catch (SQLException e) {
            return "(the control schema cannot be read: " + e.getMessage().strip() + ")";
        }
    }

    /** {@code POST …/restart?includeTasks=true&onlyFailed=true} on both connectors. */
    public ActionResult restart(Duration timeout, Progress progress) {
        Run run = run("restart", timeout, progress);
        Map<ConnectorFile, Optional<ConnectorState>> now = states();
        for (Map.Entry<ConnectorFile, Optional<ConnectorState>> e : now.entrySet()) {
            ConnectorState s = e.getValue().orElseThrow(() -> ControlException.refused("connector " + e.getKey().name()
                    + " does not exist: start the project first"));
            if (s.failedTasks() == 0 && !"FAILED".equals(s.state())) {
                run.say(s.name() + ": nothing failed");
                continue;
            }
            p.connect().restartFailed(s.name());
            run.say(s.name() + ": restart of the failed instances requested (" + s.failedTasks() + " failed task(s))");
        }
        boolean noneFailed = run.waits.until(() -> states().values().stream().allMatch(s -> s.map(x -> x.failedTasks() == 0
                && !"FAILED".equals(x.state()) && !"RESTARTING".equals(x.state())).orElse(true)), "no failed task");
        return noneFailed ? run.done("no failed connector or task") : run.pending("still failed: " + connectors.describe());
    }

    /**
     * Removes the connectors and the project's rows, staging tables and ledger from the control
     * schema; never a target table, never the project's license usage. Refuses while changes are
     * staged for FULL iterations not yet applied, unless told to discard them. Resets the sink's
     * offsets through Connect first, so that a project made again under the same names starts
     * from the beginning of its topics, not where the deleted one stopped.
     *
     * @param discardStaged drop staged changes not yet applied (they are lost)
     */
    public ActionResult delete(String confirm, boolean discardStaged, Progress progress) {
        if (!p.project().name().equals(confirm)) {
            throw ControlException.badRequest("delete removes the connectors and the project's control schema rows: "
                    + "confirm with confirm=" + p.project().name() + " (tidemark delete " + p.project().name()
                    + " --confirm " + p.project().name() + ")");
        }
        Run run = run("delete", Duration.ofSeconds(30), progress);
        Map<ConnectorFile, Optional<ConnectorState>> now = states();
        for (Map.Entry<ConnectorFile, Optional<ConnectorState>> e : now.entrySet()) {
            String state = e.getValue().map(ConnectorState::state).orElse(null);
            if (state != null && !"STOPPED".equals(state)) {
                throw ControlException.refused("delete refused: connector " + e.getKey().name() + " is " + state
                        + " (delete needs both connectors STOPPED: tidemark stop " + p.project().name() + " first)");
            }
            if (state != null && !p.lifecycle().createsConnectors()) {
                throw ControlException.refused("delete refused: " + p.lifecycle().ownerAdvice("delete", e.getKey().name())
                        + "; then delete again to clear the control schema");
            }
        }
        try (Connection c = p.target()) {
            boolean control = p.control().exists(c);
            Map<String, Long> staged = control ? p.control().stagedRows(c) : Map.of();
            if (!staged.isEmpty() && !discardStaged) {
                throw ControlException.refused("delete refused: " + staged.values().stream().mapToLong(Long::longValue)
                        .sum() + " changes are staged for FULL iterations not yet applied (" + staged + " in "
                        + p.control().schemaName() + ") and would be lost. Let the iteration complete (tidemark start "
                        + p.project().name() + ", then soft-stop), or discard them: tidemark delete " + p.project().name()
                        + " --confirm " + p.project().name() + " --discard-staged (discard_staged=true)");
            }
            ConnectorFile sink = p.project().sink();
            if (now.getOrDefault(sink, Optional.empty()).isPresent()) {
                p.connect().resetOffsets(sink.name());
                run.say(sink.name() + ": offsets reset (DELETE /connectors/" + sink.name() + "/offsets)");
            }
            for (Map.Entry<ConnectorFile, Optional<ConnectorState>> e : now.entrySet()) {
                if (e.getValue().isPresent()) {
                    p.connect().delete(e.getKey().name());
                    run.say(e.getKey().name() + ": deleted");
                }
            }
            if (!control) {
                return run.done("control schema " + p.control().schemaName() + " did not exist; connectors removed");
            }
            if (!staged.isEmpty()) {
                run.say("discarded as asked: " + staged + " staged changes not yet applied");
            }
            ControlStore.Deleted deleted = p.control().delete(c, sink.name());
            run.say(deleted.rows() + " rows and " + deleted.stagingTables().size() + " staging table(s) of project "
                    + p.project().controlProject() + " removed from " + p.control().schemaName()
                    + " (its license usage stays)");
            return run.done("project " + p.project().name() + " deleted; target tables were not touched");
        } catch (SQLException e) {
            throw controlFailure(e);
        }
    }

    /** Both connectors as Connect sees them now: the first thing every action does, so that a down cluster changes nothing. */
    private Map<ConnectorFile, Optional<ConnectorState>> states() {
        Map<ConnectorFile, Optional<ConnectorState>> result = new LinkedHashMap<>();
        for (ConnectorFile c : connectors.both()) {
            result.put(c, connectors.state(c));
        }
        return result;
    }

    static ControlException controlFailure(SQLException e) {
        LOG.warn("the control schema cannot be read or written: {}", e.getMessage());
        return new ControlException(ControlException.Kind.UNAVAILABLE, "the control schema cannot be read or written ("
                + DatabasePool.describe(e) + "; the control API's log has the driver's words)");
    }
}
