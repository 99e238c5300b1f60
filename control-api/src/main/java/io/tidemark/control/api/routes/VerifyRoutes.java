package io.tidemark.control.api.routes;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.actions.ActionResult;
import io.tidemark.control.api.ProgressAnswer;
import io.tidemark.control.api.Routes;
import io.tidemark.control.auth.Scope;
import io.tidemark.control.project.DatabasePool;
import io.tidemark.control.verify.Repair;
import io.tidemark.control.verify.TopicKeys;
import io.tidemark.control.verify.Verifications;
import io.tidemark.control.verify.Verifier;

/**
 * Verification (docs/verification.md): start a run ({@code operate}; it streams its progress as
 * every job does), cancel it ({@code operate}), read the last run's result ({@code read}).
 */
public final class VerifyRoutes implements Routes.Family {

    private static final Set<String> FIELDS = Set.of("tables", "iteration", "onlyMismatches", "repair",
            "confirmWaitSeconds", "parallel", "changedSince", "sinceVerified");

    private final ServedProjects projects;

    public VerifyRoutes(ServedProjects projects) {
        this.projects = projects;
    }

    @Override
    public void addTo(Routes routes) {
        routes.action("POST", "/projects/{project}/verify", Scope.OPERATE, x -> {
            ProjectServices p = projects.of(x);
            JsonNode body = x.body(FIELDS); // the request's body can be read once
            Verifier.Options o = options(body);
            boolean repair = body.path("repair").asBoolean(false);
            String name = p.project().name();
            AtomicBoolean cancelled = Verifications.begin(name);
            if (cancelled == null) {
                throw ControlException.refused("a verification of " + name + " is already running (cancel it with"
                        + " POST /projects/" + name + "/verify/cancel)");
            }
            try {
                ProgressAnswer.respond(x, progress -> {
                    List<String> steps = new ArrayList<>();
                    try (TopicKeys keys = o.changedSince() != null || o.sinceMarks() ? p.topicKeys() : null) {
                        Verifier v = new Verifier(p.project().targetDatabase(), p.project().sourceDatabase(),
                                p.project().controlSchema(), p.project().controlProject(), keys);
                        Verifier.Result r = v.run(o, line -> {
                            steps.add(line);
                            progress.say(line);
                        }, cancelled);
                        String message = r.status() + ": " + r.message() + " (run " + r.run() + ")";
                        if (repair && "DIFFERENT".equals(r.status())) {
                            message += "; " + Repair.of(p.project()).repair(r, line -> {
                                steps.add(line);
                                progress.say(line);
                            });
                        }
                        return new ActionResult("verify", name, null, true, message, steps, List.of());
                    } catch (SQLException e) {
                        throw new ControlException(ControlException.Kind.UNAVAILABLE, "the verification of " + name
                                + " failed: " + DatabasePool.describe(e));
                    }
                });
            } finally {
                Verifications.end(name);
            }
        });
        routes.action("POST", "/projects/{project}/verify/cancel", Scope.OPERATE, x -> {
            String name = projects.of(x).project().name();
            boolean asked = Verifications.cancel(name);
            String message = asked ? "the verification of " + name + " stops after its current table"
                    : "no verification of " + name + " is running";
            x.outcome(message);
            x.json(200, new ActionResult("verify-cancel", name, null, asked, message, List.of(), List.of()));
        });
        routes.read("GET", "/projects/{project}/verification", Scope.READ, x -> {
            ProjectServices p = projects.of(x);
            Verifier v = new Verifier(p.project().targetDatabase(), p.project().sourceDatabase(),
                    p.project().controlSchema(), p.project().controlProject());
            try (Connection c = p.target()) {
                x.json(200, Verifications.last(c, v.store()));
            } catch (SQLException e) {
                throw new ControlException(ControlException.Kind.UNAVAILABLE, "the verification's results cannot be read"
                        + " (" + DatabasePool.describe(e) + ")");
            }
        });
    }

    static Verifier.Options options(JsonNode body) {
        Verifier.Options d = Verifier.Options.defaults();
        List<String> tables = new ArrayList<>();
        body.path("tables").forEach(t -> tables.add(t.asText()));
        JsonNode it = body.path("iteration");
        if (!it.isMissingNode() && !it.isNull() && !it.canConvertToLong()) {
            throw ControlException.badRequest("iteration must be a whole number, not " + it);
        }
        long wait = body.path("confirmWaitSeconds").asLong(d.confirmWait().toSeconds());
        if (wait < 0 || wait > 3600) {
            throw ControlException.badRequest("confirmWaitSeconds must be from 0 to 3600, not " + wait);
        }
        int parallel = body.path("parallel").asInt(d.parallel());
        if (parallel < 1 || parallel > 8) {
            throw ControlException.badRequest("parallel must be from 1 to 8, not " + parallel);
        }
        JsonNode since = body.path("changedSince");
        if (!since.isMissingNode() && !since.isNull() && (!since.canConvertToLong() || since.asLong() < 0)) {
            throw ControlException.badRequest("changedSince must be an iteration (a whole number from 0), not " + since);
        }
        boolean sinceVerified = body.path("sinceVerified").asBoolean(false);
        if (sinceVerified && !since.isMissingNode() && !since.isNull()) {
            throw ControlException.badRequest("give changedSince or sinceVerified, not both");
        }
        Verifier.Options o = new Verifier.Options(tables, it.isMissingNode() || it.isNull() ? null : it.asLong(),
                body.path("onlyMismatches").asBoolean(false), d.rangeRows(), d.rowThreshold(), d.cap(), parallel,
                Duration.ofSeconds(wait));
        if (sinceVerified) {
            return o.withSinceMarks();
        }
        return since.isMissingNode() || since.isNull() ? o : o.withChangedSince(since.asLong());
    }
}
