package io.tidemark.sink.flush;

/** A flush rolled back whole on purpose: the flush guard (license metering) said no, and why. */
public final class FlushRefused extends Exception {
    FlushRefused(String reason) {
        super(reason, null, false, false);
    }
}
