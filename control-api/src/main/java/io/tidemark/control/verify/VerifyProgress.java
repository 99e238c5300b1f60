package io.tidemark.control.verify;

import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.control.actions.Progress;

/** Rows compared so far against the estimate, as a line with rows/s and an ETA, at most once a second. */
final class VerifyProgress {

    private final Progress out;
    private final long started = System.nanoTime();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong lastSaid = new AtomicLong();
    private volatile long estimate;
    private volatile String table = "";

    VerifyProgress(Progress out) {
        this.out = out;
    }

    void table(String name, long estimatedRows) {
        this.table = name;
        this.estimate += Math.max(0, estimatedRows);
    }

    void rows(long n) {
        long done = rows.addAndGet(n);
        long now = System.nanoTime();
        long last = lastSaid.get();
        if (now - last > 1_000_000_000L && lastSaid.compareAndSet(last, now)) {
            out.say(line(done, now));
        }
    }

    void say(String line) {
        out.say(line);
    }

    long rowsPerSecond() {
        double s = (System.nanoTime() - started) / 1e9;
        return s <= 0 ? 0 : (long) (rows.get() / s);
    }

    String line(long done, long now) {
        double s = Math.max(1e-3, (now - started) / 1e9);
        long rate = (long) (done / s);
        long left = Math.max(0, estimate - done);
        String eta = rate == 0 ? "?" : (left / rate) + " s";
        if (estimate <= done) {
            // No estimate (a table never analyzed) or past it: no ETA to give.
            return String.format("verifying %s: %,d rows, %,d rows/s", table, done, rate);
        }
        return String.format("verifying %s: %,d of ~%,d rows, %,d rows/s, ETA %s", table, done, estimate, rate, eta);
    }
}
