package io.tidemark.common.control;

/**
 * A table's status, as docs/design.md's status model names it. The same values describe one partition
 * of a table ({@code partition_state}); the table's status is their roll-up (the sink's roll-up).
 */
public enum TableStatus {
    RUNNING, WAITING, FINALIZING, PAUSED, STOPPED, ERROR_RETRIABLE, ERROR_ABORTED;

    /** Whether the status is one of the two error statuses. */
    public boolean isError() {
        return this == ERROR_RETRIABLE || this == ERROR_ABORTED;
    }
}
