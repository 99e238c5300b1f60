/**
 * The batch model: records read under their table's error policy ({@code RecordIntake}) into the
 * batch being filled ({@code BatchBuffer}, {@code PendingBatch}), per table ({@code TableBatch}) and
 * per run of the same columns ({@code Segment}), collapsed per key ({@code RowKey}) with Debezium's
 * unavailable values merged ({@code UnavailableValues}). Plain data in memory, no SQL.
 */
package io.tidemark.sink.batch;
