package io.tidemark.control.connect;

import java.util.List;

/**
 * A connector as {@code GET /connectors/{name}/status} reports it.
 *
 * @param state RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING
 */
public record ConnectorState(String name, String state, String workerId, String trace, List<TaskState> tasks) {

    public record TaskState(int id, String state, String workerId, String trace) {
    }

    /** The connector and every task in this state (a STOPPED connector has no tasks). */
    public boolean isAll(String wanted) {
        return wanted.equals(state) && tasks.stream().allMatch(t -> wanted.equals(t.state()));
    }

    public long failedTasks() {
        return tasks.stream().filter(t -> "FAILED".equals(t.state())).count();
    }

    public String summary() {
        return name + " " + state + (tasks.isEmpty() ? "" : " (tasks: " + String.join(", ",
                tasks.stream().map(t -> t.id() + " " + t.state()).toList()) + ")");
    }
}
