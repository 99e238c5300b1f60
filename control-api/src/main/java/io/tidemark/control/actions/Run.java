package io.tidemark.control.actions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One action being carried out: its steps (reported as they happen) and its deadline. */
final class Run implements Progress {

    private final String action;
    private final String project;
    private final String table;
    private final Progress out;
    private final List<String> steps = new ArrayList<>();
    final Waits waits;

    Run(String action, String project, String table, Duration timeout, Progress out) {
        this.action = action;
        this.project = project;
        this.table = table;
        this.out = out;
        this.waits = new Waits(timeout, this);
    }

    @Override
    public void say(String line) {
        synchronized (steps) {
            steps.add(line);
        }
        out.say(line);
    }

    ActionResult done(String message) {
        say(message);
        return new ActionResult(action, project, table, true, message, List.copyOf(steps));
    }

    /** The request stands but what it waited for did not come in time. */
    ActionResult pending(String message) {
        say(message);
        return new ActionResult(action, project, table, false, message, List.copyOf(steps));
    }
}
