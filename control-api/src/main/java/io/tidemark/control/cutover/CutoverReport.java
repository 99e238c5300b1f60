package io.tidemark.control.cutover;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a cutover (or a table's finalize) did, kept in the control schema ({@link CutoverStore}),
 * answered as JSON and rendered as Markdown ({@link ReportMarkdown}).
 *
 * @param outcome          DONE, PLANNED ({@code --plan-only}), FAILED (a statement failed: {@code failures}),
 *                         PENDING (the soft stop did not end within the wait; run again to go on),
 *                         NOT_VERIFIED (the final verification found tables out of sync: nothing restored)
 * @param steps            each step with its time, in order
 * @param finalIteration   the final iteration the target equals, null before the soft stop ended
 * @param sourcePosition   the source position (SCN, LSN) of that iteration's marker
 * @param verification     what the final verification found; null when it did not run (plan only, finalize, or the
 *                         soft stop had not ended)
 * @param sql              the plan, as written to the reviewable SQL file
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CutoverReport(long id, String project, String kind, String outcome, String message, Instant startedAt,
                            Instant finishedAt, List<StepTime> steps, List<TableReport> tables, Long finalIteration,
                            String sourcePosition, Long licenseUsedBytes, Long licenseMaxBytes, Verification verification,
                            List<RestoreExecutor.Failure> failures, List<Structure.HandReview> handReview,
                            List<String> inPlace, String sql) {

    /** @param status done, skipped, failed, pending, not run */
    public record StepTime(String step, String status, Instant startedAt, long millis, String detail) {
    }

    /**
     * @param restored statements run per restore step on this table
     */
    public record TableReport(String sourceTable, String targetTable, Long rows, Map<String, Integer> restored,
                              int failed, int handReview) {
    }

    /**
     * The final verification at the final iteration (docs/verification.md for the statuses).
     *
     * @param skipVerify true when the operator went on past tables out of sync ({@code --skip-verify})
     */
    public record Verification(long run, String status, Long iteration, boolean skipVerify, String message,
                               List<VerifiedTable> tables) {
    }

    /** @param rows the larger of the two sides' counts; {@code checksum} the same on both sides when in sync */
    public record VerifiedTable(String table, String status, long rows, String checksum, Long iteration, long differences,
                                String note) {
    }

    public boolean done() {
        return "DONE".equals(outcome) || "PLANNED".equals(outcome);
    }
}
