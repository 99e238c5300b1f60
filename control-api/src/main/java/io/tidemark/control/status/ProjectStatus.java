package io.tidemark.control.status;

import java.time.Instant;
import java.util.List;

import io.tidemark.sink.iteration.InitialLoad;

/**
 * A project as the API reports it ({@code GET /projects/{project}}): Connect's view of its
 * connectors, the control schema's view of its tables, iterations and license.
 *
 * @param state    RUNNING, PAUSED, STOPPED, SOFT_STOPPING, FAILED, CHANGING, NOT_CREATED, UNKNOWN
 * @param load     the initial load of the tables still in it, summed (null when none is)
 * @param bulkLoad the bulk load's tables while it runs or after it failed (docs/bulk-load.md); empty otherwise
 * @param problems what could not be read (a Connect cluster that does not answer, say)
 */
public record ProjectStatus(String project, String state, String controlProject, String controlSchema,
                            String desiredState, String acceptedState, String refusal, List<Connector> connectors,
                            List<Table> tables, InitialLoad.Figures load, List<BulkLoadTable> bulkLoad,
                            Iteration currentIteration,
                            Completed completed, License license, List<Iteration> iterations, List<String> problems,
                            Instant at) {

    public record Connector(String role, String name, String state, String workerId, String trace, List<Task> tasks,
                            String managedBy) {
    }

    public record Task(int id, String state, String workerId, String trace) {
    }

    /**
     * @param reason        why the status is not RUNNING (the sink's words), else null
     * @param lagRecords    records in Kafka not yet applied (null when the project gives no Kafka access)
     * @param consistentAt  the source's time of the marker of the last iteration the table completed: the target
     *                      holds the table as of then (null before its first)
     * @param lagSeconds    from {@code consistentAt} to now: the lag from the source's commit, to an iteration
     * @param rowsPerSecond changes applied per second over its last iterations (null before two)
     * @param etaSeconds    {@code lagRecords} at {@code rowsPerSecond} (null when either is unknown)
     * @param load          its initial load while the table has completed no iteration (null after)
     */
    public record Table(String sourceTable, String targetTable, String status, String reason, String mode, Long iteration,
                        String lastError, Long lagRecords, String desiredState, String acceptedState, String desiredMode,
                        String refusal, Instant consistentAt, Long lagSeconds, Double rowsPerSecond, Long etaSeconds,
                        InitialLoad.Figures load) {
    }

    /**
     * A table of the bulk load.
     *
     * @param state         LOADING, LOADED or FAILED
     * @param rowsEstimated the source's estimate when the load started (null when the table was never analyzed)
     * @param rowsPerSecond rows loaded over the time since the table's load started
     * @param etaSeconds    the rows still expected at that pace (null when not LOADING, or past the estimate)
     * @param error         why it FAILED
     */
    public record BulkLoadTable(String sourceTable, String targetTable, String state, long rowsLoaded, Long rowsEstimated,
                                Double rowsPerSecond, Long etaSeconds, String error, Instant startedAt) {
    }

    /**
     * @param progress       tables past the marker of tables in all, 0..1 (null when unknown)
     * @param sourcePosition the marker's place in the source's log: SCN (Oracle) or LSN (PostgreSQL)
     */
    public record Iteration(long iteration, String status, boolean isFinal, long upserted, long deleted, long bytes,
                            int tablesCompleted, Integer tablesTotal, Double progress, Long durationMs, Long applyMs,
                            Instant markerCreatedAt, Instant appliedAt, String waitingFor, String sourcePosition) {
    }

    /** The applied iterations: how many, the data they carried, the time from the first to the last. */
    public record Completed(long count, long lastIteration, long upserted, long deleted, long bytes,
                            Long totalSeconds, Instant lastAppliedAt) {
    }

    /** @param warning the sink's reason when the state is not OK (LOW, EXHAUSTED, …) */
    public record License(String state, long usedBytes, Long maxBytes, Long availableBytes, Double usedRatio,
                          String keyId, Instant expiresAt, String warning) {
    }

    public Connector connector(String role) {
        return connectors.stream().filter(c -> c.role().equals(role)).findFirst().orElse(null);
    }
}
