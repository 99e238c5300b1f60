/**
 * The task side: {@code SinkWriter} is the task without Connect (open, put, preCommit, close,
 * stop); around it, the partitions' pauses ({@code PartitionPauses}) and statuses, the reaction to a
 * failed flush ({@code FlushFailures}) and to the license ({@code LicenseGate}), and the table
 * lifecycle run from the task thread at every claim and poll ({@code Lifecycle}: the tables, the
 * operator's requests, the holds at markers, the iterations to complete).
 */
package io.tidemark.sink.writer;
