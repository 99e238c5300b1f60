package io.tidemark.control.actions;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.connect.ConnectorLifecycle.Target;
import io.tidemark.control.connect.ConnectorState;
import io.tidemark.control.load.BulkLoad;
import io.tidemark.control.load.BulkLoadException;
import io.tidemark.control.load.ProjectLoad;
import io.tidemark.control.project.ConnectorFile;

/**
 * The first start of a project whose source says {@code iteration.initial.load=bulk}: the source
 * connector alone first, the bulk load, marker 0, and only then the sink (docs/bulk-load.md). A
 * sink that already runs before marker 0 would apply changes under the load's rows: refused; one
 * STOPPED or PAUSED (how GitOps declares it beside the source) waits, and start resumes it after.
 */
final class BulkLoadStep {

    private static final Duration STREAMING_WAIT = Duration.ofMinutes(5);
    /** A sink in these states applies nothing: the load may run, and start resumes it afterwards. */
    private static final java.util.Set<String> SINK_AT_REST = java.util.Set.of("STOPPED", "PAUSED");

    private final ProjectServices p;

    BulkLoadStep(ProjectServices p) {
        this.p = p;
    }

    /** Runs the load if the project needs it now; false when there is nothing to load. */
    boolean runIfNeeded(Map<ConnectorFile, Optional<ConnectorState>> now, Run run) {
        ConnectorFile source = p.project().source();
        if (!ProjectLoad.wanted(source)) {
            return false;
        }
        BulkLoad.Settings settings;
        try {
            settings = ProjectLoad.settings(source);
        } catch (BulkLoadException e) {
            throw ControlException.refused("start refused: " + e.getMessage() + "; nothing was created or loaded");
        }
        ProjectLoad load = new ProjectLoad(p, settings,
                (check, waitingFor) -> new Waits(STREAMING_WAIT, run).until(check, waitingFor));
        boolean markerZero = load.markerZeroWritten();
        Optional<ConnectorState> sink = now.get(p.project().sink());
        BulkLoadDecision decision = BulkLoadDecision.of(markerZero, load.completedBefore(),
                !markerZero && p.requests().pending() > 0, sink.isPresent(),
                sink.isPresent() && SINK_AT_REST.contains(sink.get().state()));
        String stream = p.project().requestTable().stream();
        switch (decision) {
            case ORDINARY -> {
                return false;
            }
            case REFUSE_MARKER_WITHOUT_LOAD -> throw ControlException.refused("start refused: the source is set for a "
                    + "bulk load and has written marker 0 of stream " + stream + ", but no bulk load completed (its "
                    + "record in the control schema has none): a marker asked for by hand closed iteration 0 before "
                    + "any load, and the sink would start without the rows that existed before. Delete the project "
                    + "(tidemark delete), the stream's topics and its rows in the source's marker table, then start again");
            case REFUSE_PENDING_REQUEST -> throw ControlException.refused("start refused: a marker request of stream "
                    + stream + " is pending but no bulk load completed: the source would write marker 0 before the "
                    + "load. Mark the request handled in the source's request table, then start again");
            case REFUSE_SINK_RUNNING -> throw ControlException.refused("start refused: the source is set for a bulk "
                    + "load (iteration.initial.load=bulk) that has not completed (no marker 0), but the sink connector "
                    + p.project().sink().name() + " is " + sink.get().state() + " and would apply changes before the "
                    + "loaded rows. Stop or delete it (under Strimzi: spec.state stopped), then start again: the bulk "
                    + "load runs first, then the sink");
            default -> {
                // AWAIT_MARKER_ZERO or LOAD: both need the source streaming
            }
        }
        runSource(now.get(source), run);
        if (decision == BulkLoadDecision.AWAIT_MARKER_ZERO) {
            run.say("an earlier bulk load completed and asked for marker 0: waiting for the source to write it");
            if (!run.waits.until(load::markerZeroWritten, "marker 0 from the source")) {
                throw ControlException.refused("the source has not written marker 0 yet (its request is pending): is "
                        + "the source connector streaming? Start again once it is");
            }
            return false;
        }
        run.say("bulk load: " + load.tables().size() + " table(s)");
        try {
            load.run(run::say);
        } catch (BulkLoadException e) {
            // Nothing after the load ran: no marker 0, no sink. Its record names what it filled, for the next start.
            throw ControlException.refused("start stopped: " + e.getMessage() + ". Marker 0 was not asked for and the "
                    + "sink not created; fix the cause and start again (the load starts over)");
        }
        return true;
    }

    /** The source connector created or resumed, and RUNNING with its tasks. */
    private void runSource(Optional<ConnectorState> state, Run run) {
        ConnectorFile source = p.project().source();
        if (state.isEmpty()) {
            p.connect().putConfig(source.name(), source.config());
            run.say(source.name() + ": created from " + source.file().getFileName() + " (the sink waits for the bulk load)");
        } else if (!"RUNNING".equals(state.get().state())) {
            p.lifecycle().request(source.name(), state.get().state(), Target.RUNNING);
            run.say(source.name() + ": " + state.get().state() + " -> RUNNING requested");
        }
        boolean running = run.waits.until(() -> p.connect().status(source.name())
                .map(s -> s.isAll("RUNNING") && !s.tasks().isEmpty()).orElse(false), source.name() + " RUNNING");
        if (!running) {
            throw ControlException.refused("the source connector " + source.name() + " is not RUNNING: the bulk load "
                    + "waits for its stream. Look at its status, then start again");
        }
    }
}
