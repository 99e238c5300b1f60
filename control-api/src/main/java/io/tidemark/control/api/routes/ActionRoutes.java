package io.tidemark.control.api.routes;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.actions.ActionResult;
import io.tidemark.control.actions.Precheck;
import io.tidemark.control.actions.ProjectActions;
import io.tidemark.control.actions.Progress;
import io.tidemark.control.actions.TableActions;
import io.tidemark.control.api.ProgressAnswer;
import io.tidemark.control.api.Routes;
import io.tidemark.control.auth.Scope;

/**
 * The actions: a project's start, pause, soft stop, stop, restart and precheck ({@code operate}), its
 * delete ({@code admin}), a table's start, pause, stop and mode ({@code operate}). Each runs on the
 * action pool, is audited, and answers as {@link ProgressAnswer} says.
 */
public final class ActionRoutes implements Routes.Family {

    private static final Set<String> ACTION_FIELDS = Set.of("waitSeconds");
    private static final long MAX_WAIT_SECONDS = 3600;

    private final ServedProjects projects;

    public ActionRoutes(ServedProjects projects) {
        this.projects = projects;
    }

    private interface ProjectAction {
        ActionResult run(ProjectActions actions, Duration wait, Progress progress);
    }

    @Override
    public void addTo(Routes routes) {
        project(routes, "start", ProjectActions::start);
        project(routes, "pause", ProjectActions::pause);
        project(routes, "soft-stop", ProjectActions::softStop);
        project(routes, "stop", ProjectActions::stop);
        project(routes, "restart", ProjectActions::restart);
        routes.action("POST", "/projects/{project}/precheck", Scope.OPERATE, x -> {
            Precheck.Result result = new Precheck(projects.of(x)).run();
            x.outcome(result.ok() ? "every check passed" : "a check failed");
            x.json(200, result);
        });
        routes.action("DELETE", "/projects/{project}", Scope.ADMIN, x -> {
            ProjectServices p = projects.of(x);
            ProgressAnswer.respond(x, progress -> new ProjectActions(p).delete(x.query("confirm"),
                    "true".equals(x.query("discard_staged")), progress));
        });
        for (String verb : List.of("start", "pause", "stop")) {
            routes.action("POST", "/projects/{project}/tables/{table}/" + verb, Scope.OPERATE, x -> {
                ProjectServices p = projects.of(x);
                Duration wait = waitOf(x.body(ACTION_FIELDS));
                ProgressAnswer.respond(x, progress -> new TableActions(p).request(x.var("table"),
                        TableActions.action(verb), wait, progress));
            });
        }
        routes.action("PUT", "/projects/{project}/tables/{table}/mode", Scope.OPERATE, x -> {
            ProjectServices p = projects.of(x);
            JsonNode body = x.body(Set.of("mode", "waitSeconds"));
            if (!body.hasNonNull("mode") || !body.get("mode").isTextual()) {
                throw ControlException.badRequest("the body needs \"mode\": \"FULL\" or \"PARTIAL\"");
            }
            Duration wait = waitOf(body);
            ProgressAnswer.respond(x, progress -> new TableActions(p).setMode(x.var("table"), body.get("mode").asText(),
                    wait, progress));
        });
    }

    private void project(Routes routes, String verb, ProjectAction action) {
        routes.action("POST", "/projects/{project}/" + verb, Scope.OPERATE, x -> {
            ProjectServices p = projects.of(x);
            Duration wait = waitOf(x.body(ACTION_FIELDS));
            ProgressAnswer.respond(x, progress -> action.run(new ProjectActions(p), wait, progress));
        });
    }

    static Duration waitOf(JsonNode body) {
        if (!body.has("waitSeconds")) {
            return null;
        }
        JsonNode w = body.get("waitSeconds");
        if (!w.canConvertToLong() || !w.isIntegralNumber() || w.asLong() < 0 || w.asLong() > MAX_WAIT_SECONDS) {
            throw ControlException.badRequest("waitSeconds must be a whole number of seconds from 0 to "
                    + MAX_WAIT_SECONDS + ", not " + w);
        }
        return Duration.ofSeconds(w.asLong());
    }
}
