package io.tidemark.quickstart;

/** A step that cannot go on; its message says what happened and what to do, and is all the user sees. */
public class QuickstartException extends RuntimeException {

    public QuickstartException(String message) {
        super(message);
    }

    public QuickstartException(String message, Throwable cause) {
        super(message, cause);
    }
}
