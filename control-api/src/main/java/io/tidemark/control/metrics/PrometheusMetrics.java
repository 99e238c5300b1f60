package io.tidemark.control.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tidemark.control.status.ProjectStatus;

/**
 * The projects' figures as Prometheus text ({@code GET /metrics}), taken from their status at
 * scrape time: the control schema is the truth, so nothing is kept in memory between scrapes.
 * Names are documented in docs/control-api.md; the alert rules in {@code control-api/alerts} use them.
 */
public final class PrometheusMetrics {

    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /** License states in which the sink applies nothing more. */
    static final Set<String> BLOCKING_LICENSE = Set.of("EXHAUSTED", "EXPIRED", "NO_KEY", "TAMPERED");

    private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
    private final Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();

    private PrometheusMetrics() {
    }

    public static String render(List<ProjectStatus> projects) {
        PrometheusMetrics m = new PrometheusMetrics();
        projects.forEach(m::add);
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

    private void add(ProjectStatus s) {
        String p = s.project();
        gauge("tidemark_project_state", "1 for the project's state (RUNNING, PAUSED, STOPPED, SOFT_STOPPING, FAILED, ...)",
                1, "project", p, "state", s.state());
        gauge("tidemark_status_problems", "Parts of the status the control API could not read (Connect, the target)",
                s.problems().size(), "project", p);
        for (ProjectStatus.Connector c : s.connectors()) {
            gauge("tidemark_connector_state", "1 for the connector's state as Connect reports it", 1, "project", p,
                    "role", c.role(), "connector", c.name(), "state", c.state());
            gauge("tidemark_connector_failed_tasks", "Tasks of the connector in state FAILED (the connector itself counts "
                    + "as one when FAILED)", c.tasks().stream().filter(t -> "FAILED".equals(t.state())).count()
                    + ("FAILED".equals(c.state()) ? 1 : 0), "project", p, "role", c.role(), "connector", c.name());
        }
        for (ProjectStatus.Table t : s.tables()) {
            gauge("tidemark_table_status", "1 for the table's status (RUNNING, WAITING, FINALIZING, PAUSED, STOPPED, "
                    + "ERROR_RETRIABLE, ERROR_ABORTED)", 1, "project", p, "table", t.sourceTable(), "status", t.status());
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
        }
        ProjectStatus.Completed done = s.completed();
        if (done != null) {
            counter("tidemark_iterations_applied", "Iterations applied (complete in the target)", done.count(), "project", p);
            counter("tidemark_rows_upserted", "Rows upserted by applied iterations", done.upserted(), "project", p);
            counter("tidemark_rows_deleted", "Rows deleted by applied iterations", done.deleted(), "project", p);
            counter("tidemark_bytes_applied", "Bytes applied by applied iterations (the license measure)", done.bytes(),
                    "project", p);
            gauge("tidemark_iteration_last_applied", "The number of the last iteration applied", done.lastIteration(),
                    "project", p);
            if (done.lastAppliedAt() != null && "RUNNING".equals(s.state())) {
                // Only while the project runs: a stopped project has no iteration due.
                gauge("tidemark_iteration_last_applied_age_seconds", "Seconds since the last iteration was applied, while "
                        + "the project runs", Duration.between(done.lastAppliedAt(), Instant.now()).toMillis() / 1000.0,
                        "project", p);
            }
        }
        if (s.currentIteration() != null) {
            ProjectStatus.Iteration i = s.currentIteration();
            gauge("tidemark_iteration_current", "The iteration in progress", i.iteration(), "project", p);
            if (i.progress() != null) {
                gauge("tidemark_iteration_current_progress", "Tables past the current iteration's marker, of all (0..1)",
                        i.progress(), "project", p);
            }
        }
        ProjectStatus.License l = s.license();
        if (l != null) {
            gauge("tidemark_license_used_bytes", "Bytes applied under the project's license", l.usedBytes(), "project", p);
            if (l.maxBytes() != null) {
                gauge("tidemark_license_max_bytes", "The licensed volume (or the trial's)", l.maxBytes(), "project", p);
                gauge("tidemark_license_available_bytes", "Bytes left before the sink stops applying", l.availableBytes(),
                        "project", p);
                gauge("tidemark_license_used_ratio", "Used of the licensed volume (0..1)", l.usedRatio(), "project", p);
            }
            gauge("tidemark_license_state", "1 for the license state (OK, TRIAL, LOW, EXHAUSTED, EXPIRED, NO_KEY, TAMPERED)",
                    1, "project", p, "state", l.state());
            gauge("tidemark_license_exhausted", "1 while the license lets the sink apply nothing more",
                    BLOCKING_LICENSE.contains(l.state()) ? 1 : 0, "project", p);
        }
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
