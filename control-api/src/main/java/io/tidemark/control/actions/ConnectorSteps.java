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

    /**
     * Waits until both connectors and all their tasks are in the state (a STOPPED connector has no
     * tasks). A connector or task that FAILED ends the wait at once: it will not get there by itself.
     */
    boolean await(Target target, Run run) {
        Optional<Boolean> outcome = run.waits.until(() -> {
            boolean all = true;
            for (ConnectorFile c : both()) {
                Optional<ConnectorState> s = state(c);
                if (s.isPresent() && (s.get().failedTasks() > 0 || "FAILED".equals(s.get().state()))) {
                    return Optional.of(false);
                }
                all &= s.map(x -> x.isAll(target.name()) && (target == Target.STOPPED || !x.tasks().isEmpty()))
                        .orElse(false);
            }
            return all ? Optional.of(true) : Optional.empty();
        }, () -> "both connectors " + target);
        boolean reached = outcome.orElse(false);
        run.say(reached ? "both connectors " + target : "not " + target + ": " + describe() + failures());
        return reached;
    }

    /** The first line of each failed connector's or task's trace. */
    private String failures() {
        StringBuilder sb = new StringBuilder();
        for (ConnectorFile c : both()) {
            state(c).ifPresent(s -> {
                if (s.trace() != null) {
                    sb.append("; ").append(s.name()).append(" failed: ").append(firstLine(s.trace()));
                }
                s.tasks().stream().filter(t -> t.trace() != null).forEach(t -> sb.append("; ").append(s.name())
                        .append(" task ").append(t.id()).append(" failed: ").append(firstLine(t.trace()))
                        .append(" (fix it, then: tidemark restart)"));
            });
        }
        return sb.toString();
    }

    private static String firstLine(String trace) {
        return trace.lines().findFirst().orElse("");
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        for (ConnectorFile c : both()) {
            parts.add(state(c).map(ConnectorState::summary).orElse(c.name() + " NOT_CREATED"));
        }
        return String.join("; ", parts);
    }
}
