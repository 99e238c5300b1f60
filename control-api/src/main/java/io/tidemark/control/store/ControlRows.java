package io.tidemark.control.store;

import java.time.Instant;

/** Rows of the control schema as the control API reads them (docs/control-schema.md names every column). */
public final class ControlRows {

    private ControlRows() {
    }

    public record ProjectRow(String name, String desiredState, String acceptedState, String refusal, Instant refusedAt) {
    }

    public record TableRow(String sourceTable, String targetTable, String topic, String status, String reason,
                           String mode, String desiredMode, String desiredState, String acceptedState, String refusal,
                           Instant refusedAt, Long iteration) {
    }

    /**
     * A table's pace over its last iterations: {@code rows} changes applied in the newest
     * {@code iterations} of them, over {@code seconds} from the completion of the one before them to
     * the newest's (null with fewer than two); {@code consistentAt} is the source's time of the marker
     * of the newest iteration the table completed: the target holds the table as of then.
     */
    public record TablePace(String sourceTable, long rows, int iterations, Double seconds, Instant consistentAt) {
    }

    public record IterationRow(long iteration, String status, boolean isFinal, String sourcePosition,
                               Instant markerCreatedAt, Instant firstSeenAt, Instant appliedAt, long upserted,
                               long deleted, long bytes, Long durationMs, Long applyMs, int tablesCompleted,
                               Integer tablesTotal, String waitingFor) {
    }

    /** Sums over the applied iterations. */
    public record Totals(long applied, long upserted, long deleted, long bytes, Instant firstAppliedAt,
                         Instant lastAppliedAt, long lastApplied) {
    }

    public record LicenseRow(long usedBytes, Long maxBytes, String keyId, Instant expiresAt, String state,
                             String reason) {
    }
}
