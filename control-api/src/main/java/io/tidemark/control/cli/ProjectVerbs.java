package io.tidemark.control.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tidemark start|pause|soft-stop|stop|restart|precheck|delete PROJECT}: the project's actions. */
final class ProjectVerbs {

    private ProjectVerbs() {
    }

    abstract static class OnProject extends ApiCommand {
        @Parameters(index = "0", paramLabel = "PROJECT", description = "The project, as the API serves it.")
        String project;
    }

    /** An action that waits for Connect and the sink, and so takes {@code --wait}. */
    abstract static class Verb extends OnProject {
        @Mixin
        WaitOption wait;

        abstract String verb();

        @Override
        int run(ApiClient client) {
            return action(client, "POST", ApiClient.path("projects", project, verb()), wait.body());
        }
    }

    @Command(name = "start", description = {"Start the project: precheck, create missing connectors from their files, "
            + "resume paused or stopped ones, start stopped or paused tables."})
    static final class Start extends Verb {
        String verb() {
            return "start";
        }
    }

    @Command(name = "pause", description = "Pause both connectors (their tasks stay alive; records wait in Kafka).")
    static final class Pause extends Verb {
        String verb() {
            return "pause";
        }
    }

    @Command(name = "soft-stop", description = {"Finish the iterations up to a final marker from the source, then stop "
            + "both connectors. Refused while a table is in error or paused."})
    static final class SoftStop extends Verb {
        String verb() {
            return "soft-stop";
        }
    }

    @Command(name = "stop", description = {"Stop every table and both connectors now (tasks shut down, the source "
            + "released). With the target database down, the connectors stop anyway and the answer says what could "
            + "not be recorded."})
    static final class Stop extends Verb {
        String verb() {
            return "stop";
        }
    }

    @Command(name = "restart", description = "Restart the failed connectors and tasks of the project.")
    static final class Restart extends Verb {
        String verb() {
            return "restart";
        }
    }

    @Command(name = "precheck", description = {"Check what must hold before the project starts, one line per check.",
            "Exits 0 when every check passes, 1 when one fails."})
    static final class Precheck extends OnProject {
        @Override
        int run(ApiClient client) {
            ApiClient.Answer a = client.send("POST", ApiClient.path("projects", project, "precheck"), null, null);
            if (api.json) {
                out().println(pretty(a.body()));
            } else {
                a.body().path("checks").forEach(c -> out().printf("%-4s %-28s %s%n", c.path("ok").asBoolean() ? "ok" : "FAIL",
                        c.path("name").asText(), c.path("detail").asText()));
            }
            return a.body().path("ok").asBoolean() ? TidemarkCli.OK : TidemarkCli.REFUSED;
        }
    }

    @Command(name = "delete", description = {"Delete the project: its connectors (which must be STOPPED) and its rows, "
            + "staging tables and ledger in the control schema. Never a target table. Needs an admin token."})
    static final class Delete extends OnProject {
        @Option(names = "--confirm", required = true, paramLabel = "PROJECT", description = "The project's name again.")
        String confirm;

        @Option(names = "--discard-staged", description = "Delete even though changes are staged for FULL iterations "
                + "not yet applied: they are lost.")
        boolean discardStaged;

        @Override
        int run(ApiClient client) {
            return action(client, "DELETE", ApiClient.path("projects", project) + "?confirm="
                    + URLEncoder.encode(confirm, StandardCharsets.UTF_8) + (discardStaged ? "&discard_staged=true" : ""),
                    null);
        }
    }
}
