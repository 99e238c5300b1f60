package io.tidemark.sink.apply;

/** A flush rolled back whole on purpose: the flush guard (license metering) said no, and why. */
final class FlushRefused extends Exception {
    FlushRefused(String reason) {
        super(reason, null, false, false);
    }
}
