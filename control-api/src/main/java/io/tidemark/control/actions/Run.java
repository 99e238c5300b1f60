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
    private final List<String> unrecorded = new ArrayList<>();
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

    /** Something the action should have written and could not; it went on without it. */
    void unrecorded(String what) {
        synchronized (steps) {
            unrecorded.add(what);
        }
        say("not recorded: " + what);
    }

    ActionResult done(String message) {
        say(message);
        return result(true, message);
    }

    /** The request stands but what it waited for did not come in time. */
    ActionResult pending(String message) {
        say(message);
        return result(false, message);
    }

    private ActionResult result(boolean done, String message) {
        synchronized (steps) {
            return new ActionResult(action, project, table, done, message, List.copyOf(steps), List.copyOf(unrecorded));
        }
    }
}
