package io.tidemark.control.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tidemark.common.control.TableStatus;
import io.tidemark.control.status.ProjectStatus;
import io.tidemark.sink.iteration.InitialLoad;
import io.tidemark.sink.license.LicenseMeter;

/**
 * The projects' figures as Prometheus text ({@code GET /metrics}), from their last status read
 * ({@link MetricsSnapshot}). Conventions a standard stack expects: base units ({@code _bytes},
 * {@code _seconds}, {@code _ratio} for 0..1), times as Unix timestamps (an alert computes the age
 * with {@code time()}, so it still fires when a project stops answering), and a state as one series
 * per possible state, 1 for the current one and 0 for the others. Names are documented in
 * docs/control-api.md; the alert rules in {@code control-api/alerts} use them.
 */
public final class PrometheusMetrics {

    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /** One project's last read: its status (null before the first read succeeded), when, and failed reads. */
    public record Read(String project, ProjectStatus status, Instant at, long failures) {
    }

    static final List<String> PROJECT_STATES = List.of("RUNNING", "PAUSED", "STOPPED", "SOFT_STOPPING", "FAILED",
            "CHANGING", "NOT_CREATED", "UNKNOWN");
    static final List<String> CONNECTOR_STATES = List.of("RUNNING", "PAUSED", "STOPPED", "FAILED", "UNASSIGNED",
            "RESTARTING", "NOT_CREATED", "UNKNOWN");
    static final List<String> TABLE_STATUSES = Arrays.stream(TableStatus.values()).map(Enum::name).toList();
    static final List<String> LICENSE_STATES = Arrays.stream(LicenseMeter.State.values()).map(Enum::name).toList();

    /** License states in which the sink applies nothing more. */
    static final Set<String> BLOCKING_LICENSE = Set.of("EXHAUSTED", "EXPIRED", "NO_KEY", "TAMPERED");

    private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
    private final Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();

    private PrometheusMetrics() {
    }

    /** Statuses read just now (tests, and a status at hand). */
    public static String renderStatuses(List<ProjectStatus> projects) {
        return render(projects.stream().map(s -> new Read(s.project(), s, s.at(), 0)).toList());
    }

    public static String render(List<Read> reads) {
        PrometheusMetrics m = new PrometheusMetrics();
        reads.forEach(m::add);
        List<MetricSnapshot> snapshots = new ArrayList<>();
        m.gauges.values().forEach(g -> snapshots.add(g.build()));
        m.counters.values().forEach(c -> snapshots.add(c.build()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, new MetricSnapshots(snapshots));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void add(Read read) {
        String p = read.project();
        counter("tidemark_status_read_failures", "Status reads of the project that failed or ran out of their time "
                + "budget", read.failures(), "project", p);
        ProjectStatus s = read.status();
        if (s == null) {
            return;
        }
        gauge("tidemark_status_read_timestamp_seconds", "When the figures of the project were read (Unix time)",
                seconds(read.at()), "project", p);
        states("tidemark_project_state", "1 for the project's state, 0 for the others", PROJECT_STATES, s.state(),
                "project", p);
        gauge("tidemark_status_problems", "Parts of the status the control API could not read (Connect, the target, "
                + "Kafka)", s.problems().size(), "project", p);
        for (ProjectStatus.Connector c : s.connectors()) {
            states("tidemark_connector_state", "1 for the connector's state as Connect reports it, 0 for the others",
                    CONNECTOR_STATES, c.state(), "project", p, "role", c.role(), "connector", c.name());
            gauge("tidemark_connector_failed_tasks", "Tasks of the connector in state FAILED (the connector itself counts "
                    + "as one when FAILED)", c.tasks().stream().filter(t -> "FAILED".equals(t.state())).count()
                    + ("FAILED".equals(c.state()) ? 1 : 0), "project", p, "role", c.role(), "connector", c.name());
        }
        for (ProjectStatus.Table t : s.tables()) {
            states("tidemark_table_status", "1 for the table's status, 0 for the others", TABLE_STATUSES, t.status(),
                    "project", p, "table", t.sourceTable());
            gauge("tidemark_table_error", "1 while the table is in ERROR_RETRIABLE or ERROR_ABORTED",
                    t.status() != null && t.status().startsWith("ERROR") ? 1 : 0, "project", p, "table", t.sourceTable());
            if (t.lagRecords() != null) {
                gauge("tidemark_table_lag_records", "Records in Kafka the sink has not applied yet", t.lagRecords(),
                        "project", p, "table", t.sourceTable());
            }
            if (t.iteration() != null) {
                gauge("tidemark_table_iteration", "The last iteration completed for the table", t.iteration(), "project",
                        p, "table", t.sourceTable());
            }
            if (t.load() != null) {
                load(p, t.sourceTable(), t.load());
            }
        }
        completed(p, s.completed());
        if (s.currentIteration() != null) {
            ProjectStatus.Iteration i = s.currentIteration();
            gauge("tidemark_iteration_current", "The iteration in progress", i.iteration(), "project", p);
            if (i.progress() != null) {
                gauge("tidemark_iteration_current_progress_ratio", "Tables past the current iteration's marker, of all "
                        + "(0..1)", i.progress(), "project", p);
            }
        }
        license(p, s.license());
    }

    /** A table's initial load while it runs; what is unknown (no estimate, no pace yet) has no series. */
    private void load(String p, String table, InitialLoad.Figures l) {
        gauge("tidemark_table_load_rows_applied", "Rows applied so far in the table's initial load (iteration 0)",
                l.rowsApplied(), "project", p, "table", table);
        if (l.rowsExpected() != null) {
            gauge("tidemark_table_load_rows_expected", "Rows the source's statistics expect in the table (an estimate)",
                    l.rowsExpected(), "project", p, "table", table);
        }
        if (l.progress() != null) {
            gauge("tidemark_table_load_progress_ratio", "Rows applied of the estimate, 0..1 (1 past a stale estimate)",
                    l.progress(), "project", p, "table", table);
        }
        if (l.rowsPerSecond() != null) {
            gauge("tidemark_table_load_rows_per_second", "Rows applied per second over the last half minute or so",
                    l.rowsPerSecond(), "project", p, "table", table);
        }
        if (l.etaSeconds() != null) {
            gauge("tidemark_table_load_eta_seconds", "The rows still expected at that pace", l.etaSeconds(), "project",
                    p, "table", table);
        }
    }

    private void completed(String p, ProjectStatus.Completed done) {
        if (done == null) {
            return;
        }
        counter("tidemark_iterations_applied", "Iterations applied (complete in the target)", done.count(), "project", p);
        counter("tidemark_rows_upserted", "Rows upserted by applied iterations", done.upserted(), "project", p);
        counter("tidemark_rows_deleted", "Rows deleted by applied iterations", done.deleted(), "project", p);
        counter("tidemark_applied_bytes", "Bytes applied by applied iterations (the license measure)", done.bytes(),
                "project", p);
        gauge("tidemark_iteration_last_applied", "The number of the last iteration applied", done.lastIteration(),
                "project", p);
        if (done.lastAppliedAt() != null) {
            gauge("tidemark_iteration_last_applied_timestamp_seconds", "When the last iteration was applied (Unix time)",
                    seconds(done.lastAppliedAt()), "project", p);
        }
    }

    private void license(String p, ProjectStatus.License l) {
        if (l == null) {
            return;
        }
        gauge("tidemark_license_used_bytes", "Bytes applied under the project's license", l.usedBytes(), "project", p);
        if (l.maxBytes() != null) {
            gauge("tidemark_license_max_bytes", "The licensed volume (or the trial's)", l.maxBytes(), "project", p);
            gauge("tidemark_license_available_bytes", "Bytes left before the sink stops applying", l.availableBytes(),
                    "project", p);
            gauge("tidemark_license_used_ratio", "Used of the licensed volume (0..1)", l.usedRatio(), "project", p);
        }
        if (l.expiresAt() != null) {
            gauge("tidemark_license_expiry_timestamp_seconds", "When the license key expires (Unix time)",
                    seconds(l.expiresAt()), "project", p);
        }
        states("tidemark_license_state", "1 for the license state, 0 for the others", LICENSE_STATES, l.state(),
                "project", p);
        gauge("tidemark_license_exhausted", "1 while the license lets the sink apply nothing more",
                BLOCKING_LICENSE.contains(l.state()) ? 1 : 0, "project", p);
    }

    /** One series per state, so that {@code == 1} selects the current one and a change shows as two edges. */
    private void states(String name, String help, List<String> known, String current, String... labels) {
        Set<String> all = new LinkedHashSet<>(known);
        if (current != null) {
            all.add(current);
        }
        String label = name.endsWith("_status") ? "status" : "state";
        for (String state : all) {
            String[] withState = Arrays.copyOf(labels, labels.length + 2);
            withState[labels.length] = label;
            withState[labels.length + 1] = state;
            gauge(name, help, state.equals(current) ? 1 : 0, withState);
        }
    }

    private static double seconds(Instant at) {
        return at.toEpochMilli() / 1000.0;
    }

    private void gauge(String name, String help, double value, String... labels) {
        gauges.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help))
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
    }

    private void counter(String name, String help, double value, String... labels) {
        counters.computeIfAbsent(name, n -> CounterSnapshot.builder().name(n).help(help))
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
    }
}
