package io.tidemark.it;

import java.util.function.Supplier;

import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;

/**
 * Connect answers 409 to a REST request that meets a rebalance of its workers ("Cannot complete
 * request because of a conflicting operation"): the request is made again, as an operator or the
 * control API would, for up to a minute.
 */
final class RestRetry {

    private RestRetry() {
    }

    static <T> T onConflict(Supplier<T> request) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                return request.get();
            } catch (ConnectRestException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static void onConflict(Runnable request) {
        onConflict(() -> {
            request.run();
            return null;
        });
    }
}
