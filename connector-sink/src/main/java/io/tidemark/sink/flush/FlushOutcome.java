package io.tidemark.sink.flush;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.sink.naming.SourceTable;

/** What one committed flush did. */
public final class FlushOutcome {

    /** Next offsets now stored in the database, per partition. */
    public final Map<TopicPartition, Long> committedOffsets = new LinkedHashMap<>();
    /** Tables that stopped in this flush, with the reason; their changes were not applied. */
    public final Map<SourceTable, String> failedTables = new LinkedHashMap<>();
    /** The last marker each partition passed in this flush. */
    public final Map<TopicPartition, Long> markersPassed = new LinkedHashMap<>();
    /** Every iteration a marker of this flush closed (a partition may pass several in one flush). */
    final java.util.SortedSet<Long> iterationsPassed = new java.util.TreeSet<>();
    public long records;
    /** Changes put into FULL tables' durable stages (applied later, with their iteration). */
    long staged;
    public long upserted;
    public long deleted;
    public long bytes;
    long skipped;
    long flagged;
}
