package io.tidemark.sink.errors;

/**
 * The state of retrying after transient failures: since when it fails, how many attempts failed,
 * and when the next attempt is due. The {@link RetryPolicy} decides the waits; this class only
 * counts. A success resets it.
 */
public final class RetrySchedule {

    private final RetryPolicy policy;
    private long failingSinceMs = -1;
    private int failedAttempts;
    private long nextAttemptAtMs;

    public RetrySchedule(RetryPolicy policy) {
        this.policy = policy;
    }

    public RetryPolicy policy() {
        return policy;
    }

    /**
     * An attempt failed at {@code nowMs}.
     *
     * @return the wait before the next attempt, or -1 when the policy's time is up
     */
    public long failed(long nowMs) {
        if (failingSinceMs < 0) {
            failingSinceMs = nowMs;
        }
        failedAttempts++;
        long backoff = policy.backoffMs(failedAttempts, failingSinceMs, nowMs);
        nextAttemptAtMs = backoff < 0 ? Long.MAX_VALUE : nowMs + backoff;
        return backoff;
    }

    public void succeeded() {
        failingSinceMs = -1;
        failedAttempts = 0;
        nextAttemptAtMs = 0;
    }

    /** Whether the next attempt may run now. */
    public boolean due(long nowMs) {
        return nowMs >= nextAttemptAtMs;
    }

    /** Milliseconds until the next attempt is due (0 when it is due). */
    public long waitMs(long nowMs) {
        return Math.max(0, nextAttemptAtMs - nowMs);
    }

    public boolean failing() {
        return failingSinceMs >= 0;
    }

    public long failingForMs(long nowMs) {
        return failingSinceMs < 0 ? 0 : nowMs - failingSinceMs;
    }

    public int failedAttempts() {
        return failedAttempts;
    }
}
