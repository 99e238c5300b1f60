package io.tidemark.quickstart.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.tidemark.quickstart.Waits;

/**
 * What the broker, the worker and the control API share: a JVM of their own, a log, a start-up
 * wait, a check that they still run, a stop.
 */
abstract class ChildService implements AutoCloseable {

    protected final ChildJvm jvm;

    ChildService(ChildJvm jvm) {
        this.jvm = jvm;
    }

    /**
     * The start-up wait: polls {@code ready} while the process runs ({@link Waits#until}); when the
     * process ends or the wait times out, stops the process and throws.
     */
    protected void awaitReady(String what, Duration atMost, String hint, Callable<Boolean> ready) {
        try {
            Waits.until(what, atMost, hint, () -> {
                jvm.checkAlive();
                return ready.call();
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public Path log() {
        return jvm.log();
    }

    /** Throws, with the end of the log, when the process has ended. */
    public void checkAlive() {
        jvm.checkAlive();
    }

    @Override
    public void close() {
        jvm.close();
    }
}
