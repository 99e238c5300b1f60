package io.tidemark.control.verify;

import java.util.List;

/**
 * One table's verification.
 *
 * @param status       {@code IN_SYNC}, {@code DIFFERENT} (out-of-sync rows), {@code IN_FLIGHT} (every difference
 *                     was still moving through the pipeline), {@code FAILED} (the comparison could not run)
 * @param key          the key's columns in the source (empty without a key)
 * @param iteration    the applied iteration the target was read at; null when it has none yet
 * @param pinned       true when the source was read as of that iteration's marker (Oracle flashback); false
 *                     when it was read as it is now, and a confirm pass judged the differences
 * @param checksum     the sum of the row hashes, the same on both sides when in sync (hex, 64 bits)
 * @param differences  capped at the run's limit; {@code differenceCount} is the number found
 * @param note         what the reader must know: a table without a key, columns left out, the failure
 * @param changedSince  N when only the keys changed in iterations N+1 .. {@code iteration} were compared; null when
 *                      the table was compared whole
 * @param keysCompared  with {@code changedSince}: how many distinct keys were compared
 */
public record TableResult(String table, String targetTable, List<String> key, String mode, String status, Long iteration,
                          boolean pinned,
                          long sourceRows, long targetRows, int ranges, int rangesDiffering, String checksum,
                          long differenceCount, long inFlight, List<Difference> differences, long durationMs,
                          long rowsPerSecond, String note, Long changedSince, long keysCompared) {

    /** The same table with the confirm pass's verdicts. */
    TableResult judged(String newStatus, long outOfSync, long newInFlight, List<Difference> judged, String newNote) {
        return new TableResult(table, targetTable, key, mode, newStatus, iteration, pinned, sourceRows, targetRows, ranges,
                rangesDiffering, checksum, outOfSync, newInFlight, judged, durationMs, rowsPerSecond, newNote,
                changedSince, keysCompared);
    }
}
