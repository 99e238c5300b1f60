package io.tidemark.control.actions;

import java.util.List;

/**
 * What an action did.
 *
 * @param done    false when a wait ended before the state asked for came: the request stands, and
 *                Connect or the sink may still act on it ({@code message} says what is missing)
 * @param steps      every step, in order, as the progress reported it
 * @param unrecorded what the action should have written and could not (stop with the target down:
 *                   its desired state), while it went on; empty when everything was recorded
 */
public record ActionResult(String action, String project, String table, boolean done, String message,
                           List<String> steps, List<String> unrecorded) {
}
