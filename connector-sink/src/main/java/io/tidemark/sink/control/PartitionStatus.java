package io.tidemark.sink.control;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.naming.SourceTable;

/**
 * The status of one partition of a table, as the task applying it knows it.
 *
 * @param targetTable the target table's name as {@code table_state} shows it
 * @param reason      why, for anything but RUNNING; null otherwise
 */
public record PartitionStatus(SourceTable table, String targetTable, TopicPartition partition, TableStatus status,
                              String reason) {
}
