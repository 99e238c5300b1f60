package io.tidemark.control.actions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.connect.ConnectorLifecycle.Target;
import io.tidemark.control.connect.ConnectorState;
import io.tidemark.control.project.ConnectorFile;

/** Both connectors of a project brought to one state: asked for, then waited for (Connect answers 202 and acts later). */
final class ConnectorSteps {

    private final ProjectServices p;

    ConnectorSteps(ProjectServices p) {
        this.p = p;
    }

    List<ConnectorFile> both() {
        return List.of(p.project().source(), p.project().sink());
    }

    /** Connect's view of a connector now; empty when it does not exist. Throws UNAVAILABLE when Connect is down. */
    Optional<ConnectorState> state(ConnectorFile c) {
        return p.connect().status(c.name());
    }

    /** Asks every connector not yet in the state for it; returns the names asked. */
    List<String> request(Target target, Run run) {
        List<String> asked = new ArrayList<>();
        for (ConnectorFile c : both()) {
            ConnectorState s = state(c).orElseThrow(() -> ControlException.refused("connector " + c.name()
                    + " does not exist: start the project first (it creates the connectors from their files)"));
            if (!s.state().equals(target.name())) {
                p.lifecycle().request(c.name(), s.state(), target);
                asked.add(c.name());
                run.say(c.name() + ": " + s.state() + " -> " + target + " requested" + (p.project().strimzi() == null
                        ? "" : " (KafkaConnector spec.state: " + target.strimziState + ")"));
            }
        }
        return asked;
    }

    /** Waits until both connectors and all their tasks are in the state; a STOPPED connector has no tasks. */
    boolean await(Target target, Run run) {
        boolean reached = run.waits.until(() -> both().stream().allMatch(c -> state(c)
                .map(s -> s.isAll(target.name()) && (target == Target.STOPPED || !s.tasks().isEmpty())).orElse(false)),
                "both connectors " + target);
        run.say(reached ? "both connectors " + target : "not yet " + target + ": " + describe());
        return reached;
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        for (ConnectorFile c : both()) {
            parts.add(state(c).map(ConnectorState::summary).orElse(c.name() + " NOT_CREATED"));
        }
        return String.join("; ", parts);
    }
}
