package io.tidemark.sink.iteration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.control.ControlSchema;

/**
 * The iteration ledger in the control schema, as the flushes write it: marker N seen in a
 * partition ({@code iteration_partition}, in the flush that applied or staged everything before
 * it), the iteration's row ({@code iteration}: first seen, source position), and the changes a
 * flush applied per table and iteration ({@code iteration_table}); and what the task reads of it
 * per partition: its last marker, where a marker is, what is known of the iteration it ends.
 * Each method runs in the caller's transaction.
 */
public final class IterationLedger {

    /**
     * Marker {@code marker} passed in this partition at this offset; {@code seenAtMs} is when the task
     * read it (the start of the iteration's apply latency).
     */
    public record MarkerPassed(String sourceTable, TopicPartition partition, long offset, IterationMarker marker,
                               long seenAtMs) {
    }

    /** Changes a flush applied for one table in one iteration (after collapsing per key). */
    public record TableCounts(String sourceTable, long iteration, ConsistencyMode mode, long upserted, long deleted,
                              long bytes) {
    }

    /** The pace of a table's changes within an iteration is measured over about this long ({@code iteration_table.pace_at}). */
    public static final int PACE_WINDOW_SECONDS = 30;

    private final String project;
    private final String partitionSql;
    private final String iterationSql;
    private final String countsSql;
    private final String lastMarkersSql;
    private final String markerFactsSql;
    private final String markerOffsetSql;
    private final String forgetSql;

    public IterationLedger(ControlSchema control, String project) {
        this.project = project;
        this.partitionSql = "INSERT INTO " + control.table("iteration_partition")
                + " (project, iteration, source_table, topic, kafka_partition, kafka_offset, source_position, final,"
                + " marker_created_at, partition_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
        this.iterationSql = "INSERT INTO " + control.table("iteration") + " AS i"
                + " (project, iteration, source_position, marker_created_at, final, first_seen_at, status)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'WAITING') ON CONFLICT (project, iteration) DO UPDATE"
                + " SET first_seen_at = least(i.first_seen_at, EXCLUDED.first_seen_at)";
        // The earlier reading moves up to the last flush's once it is older than the pace window, so the
        // pace is measured over at most the window plus one flush (clock_timestamp: the write, not the
        // transaction's start, which may be a long COPY earlier).
        String stale = "(t.pace_at IS NULL OR t.pace_at < EXCLUDED.flushed_at - interval '" + PACE_WINDOW_SECONDS
                + " seconds')";
        this.countsSql = "INSERT INTO " + control.table("iteration_table") + " AS t"
                + " (project, iteration, source_table, mode, upserted, deleted, bytes, flushed_at, pace_at, pace_upserted)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, clock_timestamp(), clock_timestamp(), ?)"
                + " ON CONFLICT (project, iteration, source_table) DO UPDATE SET upserted = t.upserted + EXCLUDED.upserted,"
                + " deleted = t.deleted + EXCLUDED.deleted, bytes = t.bytes + EXCLUDED.bytes,"
                + " flushed_at = greatest(t.flushed_at, EXCLUDED.flushed_at),"
                + " pace_at = CASE WHEN " + stale + " THEN coalesce(t.flushed_at, EXCLUDED.flushed_at) ELSE t.pace_at END,"
                + " pace_upserted = CASE WHEN " + stale + " THEN t.upserted + CASE WHEN t.flushed_at IS NULL"
                + " THEN EXCLUDED.upserted ELSE 0 END ELSE t.pace_upserted END";
        this.lastMarkersSql = "SELECT topic, kafka_partition, max(iteration) FROM " + control.table("iteration_partition")
                + " WHERE project = ? AND (topic, kafka_partition) IN (SELECT * FROM unnest(?::text[], ?::int[]))"
                + " GROUP BY topic, kafka_partition";
        this.markerFactsSql = "SELECT iteration, final, full_applied_at IS NOT NULL, status FROM "
                + control.table("iteration") + " WHERE project = ? AND iteration = ANY(?)";
        this.markerOffsetSql = "SELECT kafka_offset FROM " + control.table("iteration_partition")
                + " WHERE project = ? AND topic = ? AND kafka_partition = ? AND iteration = ?";
        this.forgetSql = "DELETE FROM " + control.table("iteration_partition")
                + " WHERE project = ? AND topic = ? AND kafka_partition = ? AND iteration >= ?";
    }

    public void markersPassed(Connection c, Collection<MarkerPassed> markers) throws SQLException {
        if (markers.isEmpty()) {
            return;
        }
        try (PreparedStatement partitions = c.prepareStatement(partitionSql);
             PreparedStatement iterations = c.prepareStatement(iterationSql)) {
            Set<Long> seen = new HashSet<>();
            for (MarkerPassed m : markers) {
                IterationMarker marker = m.marker();
                Timestamp created = marker.createdTsMs() > 0 ? new Timestamp(marker.createdTsMs()) : null;
                partitions.setString(1, project);
                partitions.setLong(2, marker.iteration());
                partitions.setString(3, m.sourceTable());
                partitions.setString(4, m.partition().topic());
                partitions.setInt(5, m.partition().partition());
                partitions.setLong(6, m.offset());
                partitions.setString(7, marker.sourcePosition());
                partitions.setBoolean(8, marker.isFinal());
                partitions.setTimestamp(9, created);
                partitions.setObject(10, marker.partitionCount() > 0 ? marker.partitionCount() : null,
                        java.sql.Types.INTEGER);
                partitions.addBatch();
                if (seen.add(marker.iteration())) {
                    iterations.setString(1, project);
                    iterations.setLong(2, marker.iteration());
                    iterations.setString(3, marker.sourcePosition());
                    iterations.setTimestamp(4, created);
                    iterations.setBoolean(5, marker.isFinal());
                    iterations.setTimestamp(6, new Timestamp(m.seenAtMs()));
                    iterations.addBatch();
                }
            }
            // Iteration rows first, in id order: two tasks lock them in the same order.
            iterations.executeBatch();
            partitions.executeBatch();
        }
    }

    public void add(Connection c, Collection<TableCounts> counts) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(countsSql)) {
            for (TableCounts t : counts) {
                ps.setString(1, project);
                ps.setLong(2, t.iteration());
                ps.setString(3, t.sourceTable());
                ps.setString(4, t.mode().name());
                ps.setLong(5, t.upserted());
                ps.setLong(6, t.deleted());
                ps.setLong(7, t.bytes());
                ps.setLong(8, t.upserted());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The last marker the ledger has for each partition (absent: none). */
    public Map<TopicPartition, Long> lastMarkers(Connection c, Collection<TopicPartition> partitions)
            throws SQLException {
        Map<TopicPartition, Long> result = new HashMap<>();
        if (partitions.isEmpty()) {
            return result;
        }
        List<TopicPartition> list = List.copyOf(partitions);
        try (PreparedStatement ps = c.prepareStatement(lastMarkersSql)) {
            ps.setString(1, project);
            ps.setArray(2, c.createArrayOf("text", list.stream().map(TopicPartition::topic).toArray()));
            ps.setArray(3, c.createArrayOf("int4", list.stream().map(TopicPartition::partition).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
        }
        return result;
    }

    /** What the ledger says of an iteration a partition stopped at: a soft stop's last, applied to the FULL tables, complete. */
    public record MarkerFacts(boolean isFinal, boolean fullyApplied, boolean complete) {
    }

    /** The facts of these iterations (absent: no row, the marker was never recorded). */
    public Map<Long, MarkerFacts> markerFacts(Connection c, Collection<Long> iterations) throws SQLException {
        Map<Long, MarkerFacts> result = new HashMap<>();
        if (iterations.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = c.prepareStatement(markerFactsSql)) {
            ps.setString(1, project);
            ps.setArray(2, c.createArrayOf("int8", iterations.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getLong(1), new MarkerFacts(rs.getBoolean(2), rs.getBoolean(3),
                            "APPLIED".equals(rs.getString(4))));
                }
            }
        }
        return result;
    }

    /** The offset of marker {@code iteration} in the partition, or null when it never passed it. */
    public Long markerOffset(Connection c, TopicPartition tp, long iteration) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(markerOffsetSql)) {
            ps.setString(1, project);
            ps.setString(2, tp.topic());
            ps.setInt(3, tp.partition());
            ps.setLong(4, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** The partition goes back before marker {@code iteration}: it passes that marker and the later ones again. */
    public void forgetMarkersFrom(Connection c, TopicPartition tp, long iteration) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(forgetSql)) {
            ps.setString(1, project);
            ps.setString(2, tp.topic());
            ps.setInt(3, tp.partition());
            ps.setLong(4, iteration);
            ps.executeUpdate();
        }
    }
}
