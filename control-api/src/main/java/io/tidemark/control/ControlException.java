package io.tidemark.control;

/**
 * Why an action or a read did not happen, in words an operator can act on, with the HTTP status
 * the API answers it with (and the CLI turns into its exit code).
 */
public class ControlException extends RuntimeException {

    public enum Kind {
        BAD_REQUEST(400), NOT_FOUND(404), REFUSED(409), TOO_LARGE(413), BUSY(429), UPSTREAM(502), UNAVAILABLE(503),
        TIMEOUT(504);

        public final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;

    public ControlException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ControlException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ControlException refused(String message) {
        return new ControlException(Kind.REFUSED, message);
    }

    public static ControlException badRequest(String message) {
        return new ControlException(Kind.BAD_REQUEST, message);
    }

    public static ControlException notFound(String message) {
        return new ControlException(Kind.NOT_FOUND, message);
    }
}
