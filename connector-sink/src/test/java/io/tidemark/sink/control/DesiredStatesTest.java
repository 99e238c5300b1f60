package io.tidemark.sink.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tidemark.common.control.TableStatus;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Every table status against every request, as docs/design.md's action table has it, decided by
 * {@link DesiredStates} in PostgreSQL: what is accepted changes the accepted state (a start also
 * the start count), what is refused goes back and is recorded with a reason naming the status.
 * The expected table is written out here, not derived from {@code TableAction}, so that a change to
 * either shows.
 */
class DesiredStatesTest {

    /** docs/design.md: the status, then start / pause / stop allowed. */
    private static final Map<TableStatus, List<Boolean>> ACTION_TABLE = Map.of(
            TableStatus.RUNNING, List.of(false, true, true),
            TableStatus.WAITING, List.of(false, false, true),
            TableStatus.FINALIZING, List.of(false, true, true),
            TableStatus.PAUSED, List.of(true, false, true),
            TableStatus.STOPPED, List.of(true, false, false),
            TableStatus.ERROR_RETRIABLE, List.of(true, true, true),
            TableStatus.ERROR_ABORTED, List.of(true, false, true));

    private static final List<String> REQUESTS = List.of("RUNNING", "PAUSED", "STOPPED");

    /** The accepted state a table has in each status (a task that stopped it for an error: ABORTED). */
    private static final Map<TableStatus, String> ACCEPTED = Map.of(
            TableStatus.RUNNING, "RUNNING", TableStatus.WAITING, "RUNNING", TableStatus.FINALIZING, "FINALIZING",
            TableStatus.PAUSED, "PAUSED", TableStatus.STOPPED, "STOPPED", TableStatus.ERROR_RETRIABLE, "RUNNING",
            TableStatus.ERROR_ABORTED, "ABORTED");

    private static PostgresTestDatabase db;
    private final ControlSchema control = new ControlSchema("tm_states");
    private final DesiredStates states = new DesiredStates(control, "p");

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("states");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void freshSchema() throws SQLException {
        db.execute("DROP SCHEMA IF EXISTS tm_states CASCADE");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            control.ensure(c);
            c.commit();
        }
        db.execute("INSERT INTO tm_states.project (name) VALUES ('p')");
    }

    static Stream<Arguments> everyStatusAndRequest() {
        return Stream.of(TableStatus.values()).flatMap(s -> REQUESTS.stream().map(r -> Arguments.of(s, r)));
    }

    @ParameterizedTest(name = "{1} on a {0} table")
    @MethodSource("everyStatusAndRequest")
    void everyRequestInEveryStatusIsDecidedByTheActionTable(TableStatus status, String request) throws SQLException {
        String accepted = ACCEPTED.get(status);
        db.execute("INSERT INTO tm_states.table_state (project, source_table, target_table, status, desired_state,"
                + " accepted_state) VALUES ('p', 'HR.EMP', 'hr.emp', '" + status + "', '" + accepted + "', '"
                + accepted + "')");
        db.execute("UPDATE tm_states.table_state SET desired_state = '" + request + "'");

        List<String> decisions = process();

        boolean allowed = ACTION_TABLE.get(status).get(REQUESTS.indexOf(request));
        String action = switch (request) {
            case "RUNNING" -> "start";
            case "PAUSED" -> "pause";
            default -> "stop";
        };
        if (request.equals(accepted)) {
            // Asking for what is already accepted is no request: nothing is decided, nothing logged.
            assertThat(decisions).isEmpty();
            assertThat(db.count("SELECT count(*) FROM tm_states.action_log")).isZero();
            return;
        }
        if (allowed) {
            assertThat(db.rowsAsText("SELECT desired_state, accepted_state, refusal IS NULL,"
                    + " start_count FROM tm_states.table_state")).containsExactly(
                    request + "|" + request + "|t|" + (request.equals("RUNNING") ? 1 : 0));
            assertThat(db.rowsAsText("SELECT action, outcome FROM tm_states.action_log"))
                    .containsExactly(action + "|accepted");
            assertThat(decisions).containsExactly("HR.EMP: " + action + " accepted");
        } else {
            String reason = action + " refused: HR.EMP is " + status + " (allowed: " + allowedNames(status) + ")";
            assertThat(db.rowsAsText("SELECT desired_state, accepted_state, refusal, refused_at IS NOT NULL,"
                    + " start_count FROM tm_states.table_state")).containsExactly(
                    accepted + "|" + accepted + "|" + reason + "|t|0");
            assertThat(db.rowsAsText("SELECT action, outcome, reason FROM tm_states.action_log"))
                    .containsExactly(request + "|refused|" + reason);
            assertThat(decisions).containsExactly(reason);
        }
        assertThat(process()).as("a decided request is not decided again").isEmpty();
    }

    @Test
    void anUnknownDesiredStateIsRefusedAndReverted() throws SQLException {
        db.execute("INSERT INTO tm_states.table_state (project, source_table, target_table, status, desired_state,"
                + " accepted_state) VALUES ('p', 'HR.EMP', 'hr.emp', 'RUNNING', 'HALT', 'RUNNING')");
        assertThat(process()).containsExactly(
                "unknown desired state 'HALT' for HR.EMP (RUNNING, PAUSED or STOPPED)");
        assertThat(db.rowsAsText("SELECT desired_state, accepted_state FROM tm_states.table_state"))
                .containsExactly("RUNNING|RUNNING");
    }

    @Test
    void aTableStoppedForAnErrorHoldsUntilStartedOrStopped() throws SQLException {
        db.execute("INSERT INTO tm_states.table_state (project, source_table, target_table, status, desired_state,"
                + " accepted_state) VALUES ('p', 'HR.EMP', 'hr.emp', 'RUNNING', 'RUNNING', 'RUNNING')");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            states.stoppedForError(c, "HR.EMP", "value too long for column NAME");
            c.commit();
        }
        db.execute("UPDATE tm_states.table_state SET status = 'ERROR_ABORTED'");
        assertThat(db.rowsAsText("SELECT desired_state, accepted_state FROM tm_states.table_state"))
                .containsExactly("ABORTED|ABORTED");
        assertThat(process()).as("no request is pending after the error").isEmpty();
        assertThat(db.rowsAsText("SELECT action, outcome, reason FROM tm_states.action_log"))
                .containsExactly("error|stopped|value too long for column NAME");

        // The operator stops it: the error is acknowledged, the table is STOPPED; a start then retries it.
        db.execute("UPDATE tm_states.table_state SET desired_state = 'STOPPED'");
        assertThat(process()).containsExactly("HR.EMP: stop accepted");
        db.execute("UPDATE tm_states.table_state SET status = 'STOPPED'");
        db.execute("UPDATE tm_states.table_state SET desired_state = 'RUNNING'");
        assertThat(process()).containsExactly("HR.EMP: start accepted");
        assertThat(db.rowsAsText("SELECT desired_state, accepted_state, start_count FROM tm_states.table_state"))
                .containsExactly("RUNNING|RUNNING|1");
    }

    @Test
    void projectRequestsTakeTheTablesThatMayAndSoftStopWaitsForNone() throws SQLException {
        for (TableStatus s : TableStatus.values()) {
            db.execute("INSERT INTO tm_states.table_state (project, source_table, target_table, status, desired_state,"
                    + " accepted_state) VALUES ('p', 'HR." + s + "', 'hr.t', '" + s + "', '" + ACCEPTED.get(s) + "', '"
                    + ACCEPTED.get(s) + "')");
        }
        db.execute("UPDATE tm_states.project SET desired_state = 'SOFT_STOP'");
        process();
        assertThat((String) db.scalar("SELECT refusal FROM tm_states.project")).isEqualTo(
                "soft stop refused: HR.ERROR_ABORTED is ERROR_ABORTED, HR.ERROR_RETRIABLE is ERROR_RETRIABLE, HR.PAUSED"
                        + " is PAUSED (a soft stop needs every table running: start or stop those first)");
        assertThat(db.rowsAsText("SELECT desired_state, accepted_state FROM tm_states.project"))
                .containsExactly("RUNNING|RUNNING");

        db.execute("UPDATE tm_states.project SET desired_state = 'RUNNING'"); // no request: it is RUNNING
        assertThat(process()).isEmpty();

        db.execute("UPDATE tm_states.project SET desired_state = 'PAUSED'");
        process();
        assertThat(db.rowsAsText("SELECT source_table, accepted_state FROM tm_states.table_state"
                + " WHERE accepted_state = 'PAUSED' ORDER BY 1")).containsExactly(
                "HR.ERROR_RETRIABLE|PAUSED", "HR.FINALIZING|PAUSED", "HR.PAUSED|PAUSED", "HR.RUNNING|PAUSED");

        db.execute("UPDATE tm_states.table_state SET status = CASE WHEN accepted_state = 'PAUSED' THEN 'PAUSED'"
                + " ELSE status END");
        db.execute("UPDATE tm_states.project SET desired_state = 'RUNNING'");
        process();
        assertThat(db.rowsAsText("SELECT source_table, accepted_state, start_count FROM tm_states.table_state"
                + " WHERE start_count > 0 ORDER BY 1")).as("start takes what may start: paused, stopped, aborted")
                .containsExactly("HR.ERROR_ABORTED|RUNNING|1", "HR.ERROR_RETRIABLE|RUNNING|1",
                        "HR.FINALIZING|RUNNING|1", "HR.PAUSED|RUNNING|1", "HR.RUNNING|RUNNING|1",
                        "HR.STOPPED|RUNNING|1");

        db.execute("UPDATE tm_states.project SET desired_state = 'STOPPED'");
        process();
        assertThat(db.count("SELECT count(*) FROM tm_states.table_state WHERE accepted_state <> 'STOPPED'")).isZero();
    }

    private List<String> process() throws SQLException {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            List<String> decisions = states.processRequests(c);
            c.commit();
            return decisions;
        }
    }

    private static String allowedNames(TableStatus status) {
        List<Boolean> allowed = ACTION_TABLE.get(status);
        return Stream.of("start", "pause", "stop").filter(a -> allowed.get(List.of("start", "pause", "stop").indexOf(a)))
                .reduce((a, b) -> a + ", " + b).orElse("none");
    }
}
