package io.tidemark.control.api;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

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
        if (!x.wantsProgress()) {
            ActionResult result = job.apply(Progress.NONE);
            x.outcome(result.message());
            x.json(result.done() ? 200 : 202, result);
            return;
        }
        ActionResult result = job.apply(line -> {
            try {
                x.streamLine(Map.of("progress", line));
            } catch (IOException e) {
                LOG.debug("the client left while a job ran: {}", e.toString());
            }
        });
        x.outcome(result.message());
        x.streamLine(Map.of("result", result));
        x.endStream();
    }
}
