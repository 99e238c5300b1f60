package io.tidemark.control.actions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import io.tidemark.common.control.TableAction;
import io.tidemark.common.control.TableStatus;
import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.store.ControlRows;

/**
 * A table's start, pause, stop and mode change: checked at once against docs/design.md's action table
 * (the same {@link TableAction} the sink decides with, so the API refuses what the sink would, in
 * its words), written as the desired column, then waited for until the sink accepted or refused it.
 */
public final class TableActions {

    private final ProjectServices p;

    public TableActions(ProjectServices p) {
        this.p = p;
    }

    public static TableAction action(String verb) {
        return switch (verb) {
            case "start" -> TableAction.START;
            case "pause" -> TableAction.PAUSE;
            case "stop" -> TableAction.STOP;
            default -> throw ControlException.badRequest("unknown table action '" + verb + "': start, pause or stop");
        };
    }

    public ActionResult request(String table, TableAction action, Duration timeout, Progress progress) {
        String verb = action.name().toLowerCase(Locale.ROOT);
        Run run = new Run(verb, p.project().name(), table, timeout == null ? p.project().defaultWait() : timeout, progress);
        ControlRows.TableRow row = row(table);
        TableStatus status = TableStatus.valueOf(row.status());
        if (!action.allowedIn(status)) {
            throw ControlException.refused(action.refusal(row.sourceTable(), status));
        }
        write(c -> p.control().setTableDesired(c, row.sourceTable(), action.desiredState()));
        run.say(row.sourceTable() + ": desired_state " + action.desiredState() + " (status " + status + ")");
        Optional<String> answer = run.waits.until(() -> {
            ControlRows.TableRow now = row(table);
            if (now.refusal() != null) {
                throw ControlException.refused(now.refusal());
            }
            return action.desiredState().equals(now.acceptedState() == null ? "RUNNING" : now.acceptedState())
                    ? Optional.of("accepted") : Optional.empty();
        }, () -> "the sink to accept " + verb + " of " + row.sourceTable() + sinkNote());
        if (answer.isEmpty()) {
            return run.pending("the sink has not decided on " + verb + " of " + row.sourceTable() + " yet" + sinkNote());
        }
        run.say("the sink accepted " + verb + " of " + row.sourceTable());
        boolean reached = run.waits.until(() -> reached(action, TableStatus.valueOf(row(table).status())),
                row.sourceTable() + " to follow");
        String now = row(table).status();
        return reached ? run.done(row.sourceTable() + " " + now)
                : run.pending(row.sourceTable() + " accepted " + verb + " but is still " + now);
    }

    private static boolean reached(TableAction action, TableStatus status) {
        return switch (action) {
            case PAUSE -> status == TableStatus.PAUSED;
            case STOP -> status == TableStatus.STOPPED;
            case START -> status != TableStatus.PAUSED && status != TableStatus.STOPPED
                    && status != TableStatus.ERROR_ABORTED;
        };
    }

    /** A mode changes only while the table is STOPPED (docs/consistency.md). */
    public ActionResult setMode(String table, String mode, Duration timeout, Progress progress) {
        String wanted = mode == null ? "" : mode.trim().toUpperCase(Locale.ROOT);
        if (!wanted.equals("FULL") && !wanted.equals("PARTIAL")) {
            throw ControlException.badRequest("mode must be FULL or PARTIAL, not '" + mode + "'");
        }
        Run run = new Run("set-mode", p.project().name(), table, timeout == null ? p.project().defaultWait() : timeout, progress);
        ControlRows.TableRow row = row(table);
        if (wanted.equals(row.mode())) {
            return run.done(row.sourceTable() + " is " + wanted + " already");
        }
        TableStatus status = TableStatus.valueOf(row.status());
        if (!TableAction.modeChangeAllowedIn(status)) {
            throw ControlException.refused(TableAction.modeRefusal(row.sourceTable(), status, wanted));
        }
        write(c -> p.control().setTableDesiredMode(c, row.sourceTable(), wanted));
        run.say(row.sourceTable() + ": desired_mode " + wanted + " (mode " + row.mode() + ")");
        Optional<String> answer = run.waits.until(() -> {
            ControlRows.TableRow now = row(table);
            if (now.refusal() != null) {
                throw ControlException.refused(now.refusal());
            }
            return wanted.equals(now.mode()) ? Optional.of("accepted") : Optional.empty();
        }, () -> "the sink to take mode " + wanted + sinkNote());
        return answer.isPresent() ? run.done(row.sourceTable() + " mode " + wanted)
                : run.pending("the sink has not taken mode " + wanted + " for " + row.sourceTable() + " yet" + sinkNote());
    }

    /** The table as the control schema has it; 404 naming the tables there are. */
    public ControlRows.TableRow row(String table) {
        try (Connection c = p.target()) {
            if (!p.control().exists(c)) {
                throw ControlException.notFound("project " + p.project().name() + " has no tables yet: control schema "
                        + p.control().schemaName() + " does not exist (the sink creates it when it starts)");
            }
            Optional<ControlRows.TableRow> row = p.control().table(c, table);
            if (row.isEmpty()) {
                throw ControlException.notFound("project " + p.project().name() + " has no table '" + table
                        + "' (its tables: " + String.join(", ", p.control().tables(c).stream()
                        .map(ControlRows.TableRow::sourceTable).toList()) + ")");
            }
            return row.get();
        } catch (SQLException e) {
            throw ProjectActions.controlFailure(e);
        }
    }

    private String sinkNote() {
        String state = p.connect().status(p.project().sink().name()).map(s -> s.state()).orElse("NOT_CREATED");
        return "RUNNING".equals(state) ? "" : " (the sink connector is " + state + ": it decides once it runs)";
    }

    private interface Write {
        void run(Connection c) throws SQLException;
    }

    private void write(Write w) {
        try (Connection c = p.target()) {
            w.run(c);
        } catch (SQLException e) {
            throw ProjectActions.controlFailure(e);
        }
    }
}
