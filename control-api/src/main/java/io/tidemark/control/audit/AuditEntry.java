package io.tidemark.control.audit;

import java.time.Instant;

/**
 * One action as the API was asked for it and what came of it.
 *
 * @param caller  the token's name; null when no token was given (401)
 * @param request the request's JSON body as it came (never a header), null without one
 * @param status  the HTTP status answered (200 done, 202 pending, 409 refused, 403 not allowed, ...)
 * @param outcome the status in a word ({@link #outcomeOf})
 * @param message the action's message or the error's
 */
public record AuditEntry(Instant at, String project, String table, String caller, String scope, String method,
                         String path, String request, int status, String outcome, String message) {

    public static String outcomeOf(int status) {
        return switch (status) {
            case 200 -> "done";
            case 202 -> "pending";
            case 400, 413 -> "bad-request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 409 -> "refused";
            case 429 -> "busy";
            default -> status >= 500 ? "failed" : "status-" + status;
        };
    }
}
