package io.tidemark.sink.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.sink.control.PartitionStatus;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.naming.TargetTable;

/**
 * Everything a task has buffered since its last flush: the tables' collapsed changes, the
 * iteration markers and flagged records to record, and the offset each partition will have
 * reached once the batch commits.
 */
public final class PendingBatch {

    /** An iteration marker seen in a table's partition, for the ledger. */
    public record MarkerSeen(SourceTable table, TopicPartition partition, long offset, IterationMarker marker, long seenAtMs) {
    }

    /** One partition of one table. */
    public record PartitionKey(SourceTable table, TopicPartition partition) {
    }

    /** A record that the flag policy sends to the error table. */
    public record FlaggedRecord(SourceTable table, SinkRecord record, String reason) {
    }

    /** One table's changes bound for one route (a batch straddling a marker holds two for a table). */
    private record TableRoute(SourceTable table, Route route) {
    }

    /** In arrival order: a table's changes of iteration N are applied before those of N+1. */
    private final Map<TableRoute, TableBatch> tables = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private final Map<TopicPartition, Set<SourceTable>> tablesByPartition = new HashMap<>();
    private final List<MarkerSeen> markers = new ArrayList<>();
    private final List<FlaggedRecord> flagged = new ArrayList<>();
    /** Partition statuses to write with this batch, the latest per table partition. */
    private final Map<PartitionKey, PartitionStatus> statuses = new LinkedHashMap<>();
    private int records;
    /** The estimated bytes of the buffered changes' values. */
    private long bytes;
    private long firstRecordAtMs = -1;

    TableBatch table(SourceTable source, TargetTable target, Route route) {
        return tables.computeIfAbsent(new TableRoute(source, route), k -> new TableBatch(source, target, route));
    }

    /** Notes that the record was consumed: the partition's offset moves past it when the batch commits. */
    void consumed(SinkRecord record, SourceTable table, long nowMs) {
        TopicPartition tp = Offsets.partitionOf(record);
        nextOffsets.merge(tp, record.originalKafkaOffset() + 1, Math::max);
        firstOffsets.merge(tp, record.originalKafkaOffset(), Math::min);
        tablesByPartition.computeIfAbsent(tp, k -> new HashSet<>()).add(table);
        records++;
        if (firstRecordAtMs < 0) {
            firstRecordAtMs = nowMs;
        }
    }

    void marker(SourceTable table, SinkRecord record, IterationMarker marker, long seenAtMs) {
        markers.add(new MarkerSeen(table, Offsets.partitionOf(record), record.originalKafkaOffset(), marker, seenAtMs));
    }

    void flag(SourceTable table, SinkRecord record, String reason) {
        flagged.add(new FlaggedRecord(table, record, reason));
    }

    /** Drops a table's changes, markers and flags, and the offsets of its partitions (it stopped with an error). */
    public Set<TopicPartition> dropTable(SourceTable table) {
        tables.keySet().removeIf(k -> k.table().equals(table));
        markers.removeIf(m -> m.table().equals(table));
        flagged.removeIf(f -> f.table().equals(table));
        Set<TopicPartition> partitions = partitionsOf(table);
        partitions.forEach(nextOffsets::remove);
        partitions.forEach(firstOffsets::remove);
        return partitions;
    }

    /**
     * Drops everything of the given partitions (they were revoked from this task). Changes are kept
     * per table, so a table that also has records of other partitions loses those too.
     *
     * @return the other partitions whose records were dropped with it, each with its first offset in
     *         this batch: they must come again from there
     */
    public Map<TopicPartition, Long> dropPartitions(Collection<TopicPartition> partitions) {
        Set<SourceTable> affected = new HashSet<>();
        for (TopicPartition tp : partitions) {
            Set<SourceTable> set = tablesByPartition.get(tp);
            if (set != null) {
                affected.addAll(set);
            }
        }
        Map<TopicPartition, Long> dropped = new HashMap<>();
        for (SourceTable t : affected) {
            partitionsOf(t).forEach(tp -> dropped.put(tp, firstOffsets.get(tp)));
            dropTable(t);
        }
        partitions.forEach(dropped::remove);
        return dropped;
    }

    /** A partition status to write with this batch (replacing one written before for the same partition). */
    public void status(PartitionStatus status) {
        statuses.put(new PartitionKey(status.table(), status.partition()), status);
    }

    public Collection<PartitionStatus> statuses() {
        return statuses.values();
    }

    /** Takes over the statuses of a batch that was not applied, unless this batch has newer ones. */
    void keepStatusesOf(PendingBatch unapplied) {
        unapplied.statuses.forEach(statuses::putIfAbsent);
    }

    /** The partitions of this batch that carry the table's records. */
    public Set<TopicPartition> partitionsOf(SourceTable table) {
        Set<TopicPartition> result = new HashSet<>();
        tablesByPartition.forEach((tp, set) -> {
            if (set.contains(table)) {
                result.add(tp);
            }
        });
        return result;
    }

    /**
     * The table batches in the order they must be applied: by iteration, and in arrival order
     * within one. A partition's records of iteration N come before its records of N+1, but another
     * partition may be a marker ahead, so arrival order alone could apply N+1 before N.
     */
    public List<TableBatch> tables() {
        List<TableBatch> ordered = new ArrayList<>(tables.values());
        ordered.sort(java.util.Comparator.comparingLong(t -> t.route().iteration())); // stable
        return ordered;
    }

    public Map<TopicPartition, Long> nextOffsets() {
        return nextOffsets;
    }

    /** The first offset of the partition in this batch, or null when it has none. */
    public Long firstOffset(TopicPartition tp) {
        return firstOffsets.get(tp);
    }

    Set<SourceTable> tablesOf(TopicPartition tp) {
        return tablesByPartition.getOrDefault(tp, Set.of());
    }

    public List<MarkerSeen> markers() {
        return markers;
    }

    public List<FlaggedRecord> flagged() {
        return flagged;
    }

    /** Counts a record's values towards the batch's byte bound. */
    void addBytes(long valueBytes) {
        bytes += valueBytes;
    }

    /** The batch has {@code maxRecords} records or {@code maxBytes} bytes of values: apply it. */
    public boolean full(int maxRecords, long maxBytes) {
        return records >= maxRecords || bytes >= maxBytes;
    }

    public int records() {
        return records;
    }

    /** No records (there may be statuses to write). */
    public boolean isEmpty() {
        return records == 0;
    }

    /** Records or statuses: something to flush. */
    public boolean hasWork() {
        return records > 0 || !statuses.isEmpty();
    }

    public long ageMs(long nowMs) {
        return firstRecordAtMs < 0 ? 0 : nowMs - firstRecordAtMs;
    }
}
