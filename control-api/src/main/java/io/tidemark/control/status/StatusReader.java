package io.tidemark.control.status;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.connect.ConnectorState;
import io.tidemark.control.project.ConnectorFile;
import io.tidemark.control.project.DatabasePool;
import io.tidemark.control.store.ControlRows;
import io.tidemark.control.store.ControlStore;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.iteration.InitialLoad;

/**
 * Puts a project's status together from Connect and the control schema. What cannot be read is
 * named in {@code problems} rather than failing the whole status: a dashboard still sees the rest.
 */
public final class StatusReader {

    /** Iterations in the series for charts. */
    static final int SERIES = 100;
    /** Iterations a table's rows per second are measured over. */
    static final int PACE_WINDOW = 10;

    private StatusReader() {
    }

    public static ProjectStatus read(ProjectServices p) {
        List<String> problems = new ArrayList<>();
        List<ProjectStatus.Connector> connectors = new ArrayList<>();
        boolean connectKnown = true;
        for (String role : List.of("source", "sink")) {
            ConnectorFile file = p.project().connector(role);
            String managedBy = p.project().strimzi() == null ? "connect-rest" : "strimzi";
            try {
                Optional<ConnectorState> s = p.connect().status(file.name());
                connectors.add(s.map(c -> new ProjectStatus.Connector(role, c.name(), c.state(), c.workerId(), c.trace(),
                        c.tasks().stream().map(t -> new ProjectStatus.Task(t.id(), t.state(), t.workerId(), t.trace()))
                                .toList(), managedBy))
                        .orElse(new ProjectStatus.Connector(role, file.name(), "NOT_CREATED", null, null, List.of(), managedBy)));
            } catch (ControlException e) {
                connectKnown = false;
                problems.add(e.getMessage());
                connectors.add(new ProjectStatus.Connector(role, file.name(), "UNKNOWN", null, null, List.of(), managedBy));
            }
        }
        ControlRows.ProjectRow projectRow = null;
        List<ProjectStatus.Table> tables = List.of();
        InitialLoad.Figures load = null;
        ProjectStatus.Iteration current = null;
        ProjectStatus.Completed completed = null;
        ProjectStatus.License license = null;
        List<ProjectStatus.Iteration> series = List.of();
        ControlStore control = p.control();
        // The lag asks Kafka (up to three admin calls): after the transaction, from what it read.
        List<ControlRows.TableRow> tableRows = null;
        Set<String> lagTopics = Set.of();
        Map<String, Map<Integer, Long>> applied = Map.of();
        Map<String, ControlRows.TablePace> paces = Map.of();
        List<InitialLoad.Reading> loads = List.of();
        List<ProjectStatus.BulkLoadTable> bulk = List.of();
        int lagProblemAt = 0;
        try (Connection c = p.target()) {
            // One snapshot for every row read: tables, iterations and totals agree with each other.
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            if (control.exists(c)) {
                projectRow = control.project(c).orElse(null);
                List<ControlRows.TableRow> rows = control.tables(c);
                lagTopics = topicsToLag(p, rows);
                applied = lagTopics.isEmpty() ? Map.of() : control.offsets(c, p.project().sink().name());
                paces = control.paces(c, PACE_WINDOW);
                loads = control.loads(c);
                bulk = BulkLoadStatus.read(c, new ControlSchema(control.schemaName()), p.project().controlProject());
                tableRows = rows; // only with the offsets read: a failure before leaves the tables out
                lagProblemAt = problems.size();
                List<ControlRows.IterationRow> its = control.iterations(c, SERIES);
                current = its.stream().filter(i -> !"APPLIED".equals(i.status())).reduce((a, b) -> b)
                        .map(StatusReader::iteration).orElse(null);
                List<ProjectStatus.Iteration> chronological = new ArrayList<>(its.stream().map(StatusReader::iteration).toList());
                Collections.reverse(chronological);
                series = chronological;
                ControlRows.Totals totals = control.totals(c);
                completed = new ProjectStatus.Completed(totals.applied(), totals.lastApplied(), totals.upserted(),
                        totals.deleted(), totals.bytes(), totals.firstAppliedAt() == null ? null
                        : Duration.between(totals.firstAppliedAt(), totals.lastAppliedAt()).toSeconds(),
                        totals.lastAppliedAt());
                license = control.license(c).map(StatusReader::license).orElse(null);
            } else {
                problems.add("control schema " + control.schemaName() + " does not exist yet: the sink creates it when it "
                        + "starts");
            }
        } catch (SQLException e) {
            problems.add("reading control schema " + control.schemaName() + " failed: " + DatabasePool.describe(e));
        } catch (ControlException e) {
            problems.add(e.getMessage());
        }
        if (tableRows != null) {
            List<String> lagProblems = new ArrayList<>();
            Map<String, Long> lag = lag(p, lagTopics, applied, lagProblems);
            problems.addAll(lagProblemAt, lagProblems); // in the order of the reads, as when it was read in there
            Instant now = Instant.now();
            Map<String, ControlRows.TablePace> pace = paces;
            Map<String, InitialLoad.Figures> loading = LoadEstimates.figures(p, loads, problems);
            tables = tableRows.stream().map(t -> table(t, t.topic() == null ? null : lag.get(t.topic()),
                    pace.get(t.sourceTable()), now, loading.get(t.sourceTable()))).toList();
            load = loading.isEmpty() ? null : InitialLoad.Figures.sum(loading.values());
        }
        String state = connectKnown ? state(connectors, projectRow) : "UNKNOWN";
        return new ProjectStatus(p.project().name(), state, p.project().controlProject(), control.schemaName(),
                projectRow == null ? null : projectRow.desiredState(), projectRow == null ? null : projectRow.acceptedState(),
                projectRow == null ? null : projectRow.refusal(), connectors, tables, load, bulk, current, completed, license,
                series, problems, Instant.now());
    }

    /** The last {@code limit} iterations, oldest first (none before the sink created the control schema). */
    public static List<ProjectStatus.Iteration> iterations(ProjectServices p, int limit) {
        try (Connection c = p.target()) {
            if (!p.control().exists(c)) {
                return List.of();
            }
            List<ProjectStatus.Iteration> chronological = new ArrayList<>(p.control().iterations(c, limit).stream()
                    .map(StatusReader::iteration).toList());
            Collections.reverse(chronological);
            return chronological;
        } catch (SQLException e) {
            throw new ControlException(ControlException.Kind.UNAVAILABLE, "the iterations cannot be read from control "
                    + "schema " + p.control().schemaName() + " (" + DatabasePool.describe(e) + ")");
        }
    }

    /** The project's state from its connectors' states, and a soft stop in progress. */
    static String state(List<ProjectStatus.Connector> connectors, ControlRows.ProjectRow project) {
        Set<String> states = connectors.stream().map(ProjectStatus.Connector::state).collect(Collectors.toSet());
        boolean failed = connectors.stream().anyMatch(c -> "FAILED".equals(c.state())
                || c.tasks().stream().anyMatch(t -> "FAILED".equals(t.state())));
        if (states.equals(Set.of("NOT_CREATED"))) {
            return "NOT_CREATED";
        }
        if (failed) {
            return "FAILED";
        }
        if (states.equals(Set.of("STOPPED"))) {
            return "STOPPED";
        }
        if (project != null && "SOFT_STOP".equals(project.desiredState())) {
            return "SOFT_STOPPING";
        }
        if (states.size() == 1 && allTasks(connectors, states.iterator().next())) {
            return states.iterator().next(); // RUNNING or PAUSED, connectors and tasks alike
        }
        return "CHANGING";
    }

    private static boolean allTasks(List<ProjectStatus.Connector> connectors, String state) {
        return connectors.stream().allMatch(c -> !c.tasks().isEmpty() && c.tasks().stream()
                .allMatch(t -> state.equals(t.state())));
    }

    /** The topics whose lag is asked for: none when the project gives no Kafka settings. */
    private static Set<String> topicsToLag(ProjectServices p, List<ControlRows.TableRow> rows) {
        if (p.lag() == null) {
            return Set.of();
        }
        return rows.stream().map(ControlRows.TableRow::topic).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    /** @param applied the sink's stored next offsets, read with the rows */
    private static Map<String, Long> lag(ProjectServices p, Set<String> topics, Map<String, Map<Integer, Long>> applied,
                                         List<String> problems) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        try {
            return p.lag().lag(topics, applied);
        } catch (Exception e) {
            problems.add("the lag could not be read from Kafka: " + e.getMessage());
            return new HashMap<>();
        }
    }

    /**
     * A table as reported: its row, its lag in records, its pace (null before its first iteration) and
     * its initial load's figures (null once it completed an iteration).
     */
    static ProjectStatus.Table table(ControlRows.TableRow t, Long lagRecords, ControlRows.TablePace pace, Instant now,
                                     InitialLoad.Figures load) {
        Instant consistentAt = pace == null ? null : pace.consistentAt();
        Double perSecond = pace == null || pace.seconds() == null || pace.seconds() <= 0 ? null
                : pace.rows() / pace.seconds();
        Long eta = null;
        if (lagRecords != null && lagRecords == 0) {
            eta = 0L;
        } else if (lagRecords != null && perSecond != null && perSecond > 0) {
            eta = (long) Math.ceil(lagRecords / perSecond);
        }
        return new ProjectStatus.Table(t.sourceTable(), t.targetTable(), t.status(),
                "RUNNING".equals(t.status()) ? null : t.reason(), t.mode(), t.iteration(), lastError(t), lagRecords,
                t.desiredState() == null ? "RUNNING" : t.desiredState(),
                t.acceptedState() == null ? "RUNNING" : t.acceptedState(), t.desiredMode(), t.refusal(), consistentAt,
                consistentAt == null ? null : Math.max(0, Duration.between(consistentAt, now).toSeconds()), perSecond, eta,
                t.iteration() == null ? load : null);
    }

    private static String lastError(ControlRows.TableRow t) {
        return t.status() != null && t.status().startsWith("ERROR") ? t.reason() : null;
    }

    static ProjectStatus.Iteration iteration(ControlRows.IterationRow i) {
        Double progress = i.tablesTotal() == null || i.tablesTotal() == 0 ? null
                : Math.min(1.0, (double) i.tablesCompleted() / i.tablesTotal());
        if ("APPLIED".equals(i.status())) {
            progress = 1.0;
        }
        return new ProjectStatus.Iteration(i.iteration(), i.status(), i.isFinal(), i.upserted(), i.deleted(), i.bytes(),
                i.tablesCompleted(), i.tablesTotal(), progress, i.durationMs(), i.applyMs(), i.markerCreatedAt(),
                i.appliedAt(), i.waitingFor(), i.sourcePosition());
    }

    static ProjectStatus.License license(ControlRows.LicenseRow l) {
        Long available = l.maxBytes() == null ? null : Math.max(0, l.maxBytes() - l.usedBytes());
        Double ratio = l.maxBytes() == null || l.maxBytes() == 0 ? null : (double) l.usedBytes() / l.maxBytes();
        String warning = "OK".equals(l.state()) ? null : l.reason();
        return new ProjectStatus.License(l.state(), l.usedBytes(), l.maxBytes(), available, ratio, l.keyId(),
                l.expiresAt(), warning);
    }
}
