package io.tidemark.sink.errors;

/**
 * Exponential backoff bounded in total time: how long to wait before the next attempt, and
 * whether there should be one.
 */
public final class RetryPolicy {

    private final long maxDurationMs;
    private final long initialBackoffMs;
    private final long maxBackoffMs;

    public RetryPolicy(long maxDurationMs, long initialBackoffMs, long maxBackoffMs) {
        this.maxDurationMs = maxDurationMs;
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = Math.max(initialBackoffMs, maxBackoffMs);
    }

    public long maxDurationMs() {
        return maxDurationMs;
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 1), or -1 when time is up. */
    public long backoffMs(int attempt, long startedAtMs, long nowMs) {
        long backoff = Math.min(maxBackoffMs, initialBackoffMs << Math.min(20, attempt - 1));
        long elapsed = nowMs - startedAtMs;
        if (elapsed + backoff > maxDurationMs) {
            long left = maxDurationMs - elapsed;
            return left > 0 ? left : -1;
        }
        return backoff;
    }
}
