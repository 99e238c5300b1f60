package io.tidemark.control.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidemark.control.api.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tidemark table start|pause|stop|set-mode|list}: one table of a project, through the control schema. */
@Command(name = "table", description = "Start, pause, stop or finalize a table, or change its consistency mode (only while STOPPED).",
        subcommands = {TableCommand.Start.class, TableCommand.Pause.class, TableCommand.Stop.class,
                TableCommand.SetMode.class, TableCommand.Finalize.class, TableCommand.ListTables.class})
final class TableCommand {

    @Mixin
    HelpOption help;

    abstract static class TableVerb extends ApiCommand {
        @Parameters(index = "0", paramLabel = "PROJECT")
        String project;

        @Parameters(index = "1", paramLabel = "TABLE", description = "SCHEMA.TABLE, as tidemark status lists it.")
        String table;

        @Mixin
        WaitOption wait;

        abstract String verb();

        @Override
        int run(ApiClient client) {
            return action(client, "POST", ApiClient.path("projects", project, "tables", table, verb()), wait.body());
        }
    }

    @Command(name = "start", description = "Start the table (allowed when PAUSED, STOPPED or in error).")
    static final class Start extends TableVerb {
        String verb() {
            return "start";
        }
    }

    @Command(name = "pause", description = "Pause the table: its partitions pause, its records wait in Kafka.")
    static final class Pause extends TableVerb {
        String verb() {
            return "pause";
        }
    }

    @Command(name = "stop", description = "Stop the table: it leaves the iterations and catches up when started.")
    static final class Stop extends TableVerb {
        String verb() {
            return "stop";
        }
    }

    @Command(name = "set-mode", description = "Set the table's consistency mode, FULL or PARTIAL (only while STOPPED).")
    static final class SetMode extends TableVerb {
        @Parameters(index = "2", paramLabel = "MODE", description = "FULL or PARTIAL.")
        String mode;

        String verb() {
            return "mode";
        }

        @Override
        int run(ApiClient client) {
            ObjectNode body = wait.body();
            body.put("mode", mode);
            return action(client, "PUT", ApiClient.path("projects", project, "tables", table, "mode"), body);
        }
    }

    @Command(name = "finalize", description = {"Restore a STOPPED table's structure (indexes, constraints, defaults, "
            + "sequences) before the project's cutover; a foreign key to a table still running waits (docs/cutover.md)."})
    static final class Finalize extends ApiCommand {
        @Parameters(index = "0", paramLabel = "PROJECT")
        String project;

        @Parameters(index = "1", paramLabel = "TABLE", description = "SCHEMA.TABLE, as tidemark status lists it.")
        String table;

        @Override
        int run(ApiClient client) {
            ApiClient.Answer a = client.send("POST", ApiClient.path("projects", project, "tables", table, "finalize"),
                    Json.MAPPER.createObjectNode(), line -> {
                        err().println("  " + line);
                        err().flush();
                    });
            out().print(api.json ? pretty(a.body()) + "\n" : ReportText.of(a.body()));
            return CutoverCommand.exitCode(a.body().path("outcome").asText());
        }
    }

    @Command(name = "list", description = "The project's tables.")
    static final class ListTables extends ApiCommand {
        @Parameters(index = "0", paramLabel = "PROJECT")
        String project;

        @Override
        int run(ApiClient client) {
            ApiClient.Answer a = client.get(ApiClient.path("projects", project, "tables"));
            out().print(api.json ? pretty(a.body()) + "\n" : StatusText.tables(a.body()));
            return TidemarkCli.OK;
        }
    }
}
