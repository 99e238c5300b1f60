package io.tidemark.sink.types;

/**
 * A value that cannot be written to its column (a NUL character in text, a malformed temporal
 * string, a struct where a number belongs). The record goes to its table's error policy; the
 * message names what is wrong in words an operator can act on.
 */
public class BadValueException extends RuntimeException {

    public BadValueException(String message) {
        super(message);
    }

    public BadValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
