package io.tidemark.common.control;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an operator can ask of a table, and in which statuses it is allowed (docs/design.md's action
 * table). A request the table's status does not allow is refused with a message that names the
 * status and the actions it allows.
 */
public enum TableAction {
    START("RUNNING"), PAUSE("PAUSED"), STOP("STOPPED");

    private final String desiredState;

    TableAction(String desiredState) {
        this.desiredState = desiredState;
    }

    /** The value of {@code table_state.desired_state} that asks for this action. */
    public String desiredState() {
        return desiredState;
    }

    /** The action a desired state asks for; null for an unknown value. */
    public static TableAction forDesiredState(String desired) {
        String d = desired == null ? "RUNNING" : desired.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.desiredState.equals(d)).findFirst().orElse(null);
    }

    public boolean allowedIn(TableStatus status) {
        return allowedActions(status).contains(this);
    }

    /** docs/design.md: RUNNING pause/stop, WAITING stop, FINALIZING pause/stop, PAUSED start/stop, STOPPED start, ERROR_RETRIABLE all, ERROR_ABORTED start/stop. */
    public static List<TableAction> allowedActions(TableStatus status) {
        return switch (status) {
            case RUNNING, FINALIZING -> List.of(PAUSE, STOP);
            case WAITING -> List.of(STOP);
            case PAUSED -> List.of(START, STOP);
            case STOPPED -> List.of(START);
            case ERROR_RETRIABLE -> List.of(START, PAUSE, STOP);
            case ERROR_ABORTED -> List.of(START, STOP);
        };
    }

    /** A consistency mode changes only while the table is STOPPED (docs/consistency.md). */
    public static boolean modeChangeAllowedIn(TableStatus status) {
        return status == TableStatus.STOPPED;
    }

    /** E.g. {@code mode change to FULL refused: HR.EMP is RUNNING (a mode changes only while the table is STOPPED: …)}. */
    public static String modeRefusal(String what, TableStatus status, String mode) {
        return "mode change to " + mode + " refused: " + what + " is " + status + " (a mode changes only "
                + "while the table is STOPPED: stop it, change the mode, start it)";
    }

    /** E.g. {@code pause refused: HR.EMP is WAITING (allowed: stop)}. */
    public String refusal(String what, TableStatus status) {
        List<TableAction> allowed = allowedActions(status);
        return name().toLowerCase(Locale.ROOT) + " refused: " + what + " is " + status + " (allowed: "
                + (allowed.isEmpty() ? "none" : allowed.stream().map(a -> a.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "))) + ")";
    }
}
