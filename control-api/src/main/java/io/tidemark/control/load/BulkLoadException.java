package io.tidemark.control.load;

/** The bulk load cannot go on: the message says what and what to do. */
public final class BulkLoadException extends RuntimeException {

    public BulkLoadException(String message) {
        super(message);
    }

    public BulkLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
