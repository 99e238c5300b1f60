package io.tidemark.quickstart;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Every wait of the quickstart is bounded: it ends with the awaited state, or with a
 * {@link QuickstartException} naming what did not happen within how long and where to look.
 */
public final class Waits {

    private static final Duration POLL = Duration.ofMillis(250);

    private Waits() {
    }

    /**
     * Polls {@code done} until it returns true. {@code done} may throw a {@link QuickstartException}
     * itself (a process that died), which ends the wait at once.
     */
    public static void until(String what, Duration atMost, String hint, Callable<Boolean> done) {
        long deadline = System.nanoTime() + atMost.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(done.call())) {
                    return;
                }
            } catch (QuickstartException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                String cause = last == null ? "" : " (last error: " + last.getMessage() + ")";
                throw new QuickstartException(what + " did not happen within " + atMost.toSeconds() + " s" + cause + ": " + hint);
            }
            sleep(POLL);
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuickstartException("interrupted");
        }
    }
}
