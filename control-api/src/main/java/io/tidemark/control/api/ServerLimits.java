package io.tidemark.control.api;

import java.time.Duration;

/**
 * What bounds the server, so that no client and no action can starve the others.
 *
 * @param idleTimeout    a connection that sends or receives nothing this long is closed (a slow or
 *                       idle client holds no thread meanwhile: the server reads without blocking)
 * @param requestTimeout a read (status, tables, iterations, audit) that takes longer is answered 504
 *                       and interrupted
 * @param maxBody        the largest request body, bytes (413 beyond)
 * @param maxHeader      the largest request header, bytes (431 beyond)
 * @param readThreads    reads running at once; more wait in a queue of {@code 4 × readThreads}, then 503
 * @param maxActions     actions and progress streams running at once; one more is answered 429
 */
public record ServerLimits(Duration idleTimeout, Duration requestTimeout, int maxBody, int maxHeader, int readThreads,
                           int maxActions) {

    public static final ServerLimits DEFAULTS = new ServerLimits(Duration.ofSeconds(30), Duration.ofSeconds(30),
            64 * 1024, 8 * 1024, 8, 8);
}
