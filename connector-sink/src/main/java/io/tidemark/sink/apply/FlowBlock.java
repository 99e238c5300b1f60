package io.tidemark.sink.apply;

/**
 * Whether the flush guard (license metering) has stopped the flow, why, and when to ask it again
 * whether the flow may resume. While blocked, every partition is paused and records wait in Kafka;
 * the task stays RUNNING.
 */
final class FlowBlock {

    private final long checkIntervalMs;
    private String reason;
    private long nextCheckMs;

    FlowBlock(long checkIntervalMs) {
        this.checkIntervalMs = checkIntervalMs;
    }

    boolean isBlocked() {
        return reason != null;
    }

    /** Why the flow stopped, or null while it flows. */
    String reason() {
        return reason;
    }

    /** @return true when the flow was flowing until now */
    boolean block(String why, long nowMs) {
        boolean first = reason == null;
        reason = why;
        nextCheckMs = nowMs + checkIntervalMs;
        return first;
    }

    /** Whether it is time to ask the guard again; if so, the next check is scheduled. */
    boolean checkDue(long nowMs) {
        if (reason == null || nowMs < nextCheckMs) {
            return false;
        }
        nextCheckMs = nowMs + checkIntervalMs;
        return true;
    }

    long checkIntervalMs() {
        return checkIntervalMs;
    }

    void unblock() {
        reason = null;
    }
}
