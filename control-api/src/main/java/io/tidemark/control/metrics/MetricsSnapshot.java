package io.tidemark.control.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.status.BackgroundReads;
import io.tidemark.control.status.ProjectStatus;
import io.tidemark.control.status.StatusReader;

/**
 * {@code GET /metrics} from memory: each project's status is read in the background, at most one
 * read per project at a time, each within a time budget, and the text rendered whenever one
 * finishes. A scrape never waits for Connect or a database, and a project whose read hangs keeps
 * its last figures, with the time they were read ({@code tidemark_status_read_timestamp_seconds}).
 */
public final class MetricsSnapshot {

    private final BackgroundReads<ProjectStatus> reads;
    private volatile String text = "";

    public MetricsSnapshot(Collection<ProjectServices> projects, Duration budget, ExecutorService pool) {
        this.reads = new BackgroundReads<>("status", projects, StatusReader::read, budget, pool, this::render);
    }

    /** Starts the reads that are due; called every refresh interval. */
    public void refresh() {
        reads.tick();
    }

    public String text() {
        return text;
    }

    private void render(Map<String, BackgroundReads.Latest<ProjectStatus>> latest) {
        List<PrometheusMetrics.Read> read = new ArrayList<>();
        latest.forEach((name, l) -> read.add(new PrometheusMetrics.Read(name, l.value(), l.at(), l.failures())));
        text = PrometheusMetrics.render(read);
    }
}
