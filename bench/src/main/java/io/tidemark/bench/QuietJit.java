package io.tidemark.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Waits until the JIT has compiled what earlier work queued, so that a timed run does not pay for
 * its predecessor's compilations, nor for its own code's first C2 compilation.
 *
 * <p>Why a warm-up alone was not enough: on two cores the JVM has one C2 compiler thread, and after
 * the embedded broker's and Connect's start it has a long queue. HotSpot then raises its thresholds
 * for the next tier with the queue's length ({@code Tier4LoadFeedback}), so a sink's per-record
 * methods stayed in C1's profiling code through a 90,000-record warm-up and were compiled by C2
 * inside the timed run (JFR, 2026-12-07: 240 compilations, 82 of them C2, in Tidemark's 3.3-second
 * run; 1.6 of its 6.1 busy core-s were the JIT's).
 */
final class QuietJit {

    private static final long POLL_MS = 250;
    /** Less than this much compiling in one poll counts as quiet. */
    private static final long QUIET_MS_PER_POLL = 10;
    /** Quiet polls in a row. */
    private static final int QUIET_POLLS = 4;
    private static final long LONGEST_WAIT_MS = 30_000;

    private QuietJit() {
    }

    /** @return the seconds waited (at most 30: a JIT that never rests is reported, not waited for) */
    static double await() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return 0;
        }
        long start = System.nanoTime();
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (quiet < QUIET_POLLS) {
            if ((System.nanoTime() - start) / 1_000_000 > LONGEST_WAIT_MS) {
                System.out.printf(Locale.ROOT, "  the JIT did not rest within %d s; timing anyway%n",
                        LONGEST_WAIT_MS / 1000);
                break;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            long now = jit.getTotalCompilationTime();
            quiet = now - last < QUIET_MS_PER_POLL ? quiet + 1 : 0;
            last = now;
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
