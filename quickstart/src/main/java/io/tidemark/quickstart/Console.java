package io.tidemark.quickstart;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What the user sees: one line per completed step, each with the seconds since the quickstart
 * started, so that slow steps show. Everything else goes to the log files.
 */
public final class Console {

    private final PrintStream out;
    private final long started = System.nanoTime();

    public Console(PrintStream out) {
        this.out = out;
    }

    public synchronized void step(String line) {
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", seconds(), line);
        out.flush();
    }

    /** A line without a time stamp: the table of where things are. */
    public synchronized void plain(String line) {
        out.println(line);
        out.flush();
    }

    public double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
