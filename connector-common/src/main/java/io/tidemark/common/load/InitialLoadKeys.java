package io.tidemark.common.load;

/**
 * The source connector's initial-load keys, with their values and bounds. The source connector
 * defines and validates them ({@code IterationConfig}); the control API reads the same keys from the
 * project's source file before any connector exists, to run the bulk load. One home, so the two
 * cannot drift apart.
 */
public final class InitialLoadKeys {

    public static final String INITIAL_LOAD = "iteration.initial.load";
    public static final String SNAPSHOT = "snapshot";
    public static final String BULK = "bulk";

    public static final String WORKERS = "iteration.initial.load.workers";
    public static final int WORKERS_DEFAULT = 4;
    public static final int WORKERS_MAX = 64;

    private InitialLoadKeys() {
    }
}
