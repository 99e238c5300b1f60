package io.tidemark.control.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON of every error answer: {@code status}, {@code error} (its kind) and {@code message}, in
 * words an operator can act on. An unexpected failure never echoes its exception's text (which may
 * carry SQL, a path or a value): the body gives a reference that the log line carries.
 */
public final class ErrorBody {

    private ErrorBody() {
    }

    public static Map<String, Object> of(int status, String kind, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("error", kind);
        m.put("message", message);
        return m;
    }

    /** A reference to quote to whoever reads the log. */
    static String newReference() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
