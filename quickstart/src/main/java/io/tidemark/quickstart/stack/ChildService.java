package io.tidemark.quickstart.stack;

import java.nio.file.Path;

/** What the broker and the worker share: a JVM of their own, a log, a check that they still run, a stop. */
abstract class ChildService implements AutoCloseable {

    protected final ChildJvm jvm;

    ChildService(ChildJvm jvm) {
        this.jvm = jvm;
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
