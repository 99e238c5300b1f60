package io.tidemark.control.api;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.control.actions.ActionResult;
import io.tidemark.control.actions.Progress;

/**
 * How a long-running job answers: 200 when done, 202 when its wait ended first (the request
 * stands); with {@code ?progress=true} or {@code Accept: application/x-ndjson}, a stream of JSON
 * lines {@code {"progress": …}}, then {@code {"result": …}} (or {@code {"error": …}}). Every job route
 * answers this way, so the CLI follows them all alike.
 */
public final class ProgressAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressAnswer.class);

    private ProgressAnswer() {
    }

    public static void respond(Exchange x, Function<Progress, ActionResult> job) throws IOException {
        respond(x, job, ActionResult::done, ActionResult::message);
    }

    /** A job whose answer is not an {@link ActionResult} (a cutover's report): {@code done} says 200 or 202. */
    public static <T> void respond(Exchange x, Function<Progress, T> job, Predicate<T> done, Function<T, String> message)
            throws IOException {
        if (!x.wantsProgress()) {
            T result = job.apply(Progress.NONE);
            x.outcome(message.apply(result));
            x.json(done.test(result) ? 200 : 202, result);
            return;
        }
        T result = job.apply(line -> {
            try {
                x.streamLine(Map.of("progress", line));
            } catch (IOException e) {
                LOG.debug("the client left while a job ran: {}", e.toString());
            }
        });
        x.outcome(message.apply(result));
        x.streamLine(Map.of("result", result));
        x.endStream();
    }
}
