package io.tidemark.control.api.routes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.ProgressAnswer;
import io.tidemark.control.api.Routes;
import io.tidemark.control.auth.Scope;
import io.tidemark.control.cutover.Cutover;
import io.tidemark.control.cutover.CutoverReport;
import io.tidemark.control.cutover.ReportMarkdown;

/**
 * The cutover (docs/cutover.md): run it, or only its plan ({@code operate}), finalize one STOPPED
 * table ({@code operate}), read the newest report ({@code read}). The runs are jobs, audited, and
 * answer as {@link ProgressAnswer} says: 200 with the report (its {@code outcome} DONE, PLANNED or
 * FAILED or NOT_VERIFIED), 202 when the soft stop did not end within the wait (PENDING).
 */
public final class CutoverRoutes implements Routes.Family {

    private static final int MAX_PARALLEL = 16;

    private final ServedProjects projects;

    public CutoverRoutes(ServedProjects projects) {
        this.projects = projects;
    }

    @Override
    public void addTo(Routes routes) {
        routes.action("POST", "/projects/{project}/cutover", Scope.OPERATE, x -> {
            ProjectServices p = projects.of(x);
            JsonNode body = x.body(Set.of("planOnly", "skipVerify", "fullVerify", "waitSeconds", "parallel"));
            boolean planOnly = body.path("planOnly").asBoolean(false);
            boolean skipVerify = body.path("skipVerify").asBoolean(false);
            Duration wait = body.has("waitSeconds") ? ActionRoutes.waitOf(body) : null;
            int parallel = parallel(body);
            ProgressAnswer.respond(x, progress -> new Cutover(p, parallel).run(planOnly, skipVerify,
                    body.path("fullVerify").asBoolean(false), wait, progress),
                    r -> !"PENDING".equals(r.outcome()), CutoverReport::message);
        });
        routes.action("POST", "/projects/{project}/tables/{table}/finalize", Scope.OPERATE, x -> {
            ProjectServices p = projects.of(x);
            int parallel = parallel(x.body(Set.of("parallel")));
            ProgressAnswer.respond(x, progress -> new Cutover(p, parallel).finalizeTable(x.var("table"), progress),
                    r -> true, CutoverReport::message);
        });
        routes.read("GET", "/projects/{project}/cutover/report", Scope.READ, x -> {
            CutoverReport report = new Cutover(projects.of(x), 0).newest().orElseThrow(() -> ControlException.notFound(
                    "project " + x.var("project") + " has no cutover report yet (tidemark cutover " + x.var("project") + ")"));
            if ("markdown".equals(x.query("format"))) {
                x.send(200, "text/markdown; charset=utf-8", ReportMarkdown.render(report).getBytes(StandardCharsets.UTF_8));
            } else {
                x.json(200, report);
            }
        });
    }

    private static int parallel(JsonNode body) {
        if (!body.has("parallel")) {
            return Cutover.DEFAULT_PARALLEL;
        }
        JsonNode n = body.get("parallel");
        if (!n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > MAX_PARALLEL) {
            throw ControlException.badRequest("parallel must be a whole number from 1 to " + MAX_PARALLEL + ", not " + n);
        }
        return n.asInt();
    }
}
