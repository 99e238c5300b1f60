package io.tidemark.sink.record;

/**
 * A record the sink cannot read as a change: wrong shape, unknown operation, missing key. The
 * record goes to its table's error policy; the message says what was expected.
 */
public class BadRecordException extends RuntimeException {

    public BadRecordException(String message) {
        super(message);
    }
}
