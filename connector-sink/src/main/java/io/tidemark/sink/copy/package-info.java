/**
 * The COPY primitives: a segment's changes encoded in {@code COPY} text or binary form
 * ({@code SegmentEncoder}, {@code CopyRows}, {@code EncodedSegment}), copied into a session-local staging table and
 * moved set-based into the target ({@code StagingTable}, {@code TableApplier}), a plain
 * {@code COPY} into the target while a table takes it ({@code DirectCopyPolicy}), and the values
 * Debezium left unavailable filled from the target or the stage ({@code UnavailableFill}).
 */
package io.tidemark.sink.copy;
