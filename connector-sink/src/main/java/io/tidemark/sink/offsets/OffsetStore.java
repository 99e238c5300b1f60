package io.tidemark.sink.offsets;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.sink.control.ControlSchema;

/**
 * The Kafka offsets that the target database holds, per sink connector and partition: the next
 * offset to apply. They are written in the same transaction as the rows they cover, so the
 * database and this table never disagree; on assignment the task seeks to them.
 */
public final class OffsetStore {

    private final String connector;
    private final String loadSql;
    private final String saveSql;
    private final String deleteSql;

    public OffsetStore(ControlSchema control, String connector) {
        this.connector = connector;
        String table = control.table("kafka_offsets");
        this.loadSql = "SELECT topic, kafka_partition, next_offset FROM " + table
                + " WHERE connector = ? AND (topic, kafka_partition) IN (SELECT * FROM unnest(?::text[], ?::int[]))";
        this.saveSql = "INSERT INTO " + table + " (connector, topic, kafka_partition, next_offset, updated_at)"
                + " SELECT ?, t, p, o, now() FROM unnest(?::text[], ?::int[], ?::bigint[]) AS x(t, p, o)"
                + " ON CONFLICT (connector, topic, kafka_partition)"
                + " DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = EXCLUDED.updated_at";
        this.deleteSql = "DELETE FROM " + table + " WHERE connector = ? AND topic = ? AND kafka_partition = ?";
    }

    public String connector() {
        return connector;
    }

    /** The stored next offsets of the partitions that have one. */
    public Map<TopicPartition, Long> load(Connection connection, Collection<TopicPartition> partitions)
            throws SQLException {
        Map<TopicPartition, Long> result = new HashMap<>();
        if (partitions.isEmpty()) {
            return result;
        }
        String[] topics = new String[partitions.size()];
        Integer[] numbers = new Integer[partitions.size()];
        int i = 0;
        for (TopicPartition tp : partitions) {
            topics[i] = tp.topic();
            numbers[i++] = tp.partition();
        }
        try (PreparedStatement ps = connection.prepareStatement(loadSql)) {
            ps.setString(1, connector);
            ps.setArray(2, connection.createArrayOf("text", topics));
            ps.setArray(3, connection.createArrayOf("int4", numbers));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
        }
        return result;
    }

    /** Upserts the next offsets, in the caller's transaction. */
    public void save(Connection connection, Map<TopicPartition, Long> nextOffsets) throws SQLException {
        if (nextOffsets.isEmpty()) {
            return;
        }
        int n = nextOffsets.size();
        String[] topics = new String[n];
        Integer[] numbers = new Integer[n];
        Long[] offsets = new Long[n];
        int i = 0;
        for (Map.Entry<TopicPartition, Long> e : nextOffsets.entrySet()) {
            topics[i] = e.getKey().topic();
            numbers[i] = e.getKey().partition();
            offsets[i++] = e.getValue();
        }
        try (PreparedStatement ps = connection.prepareStatement(saveSql)) {
            Array t = connection.createArrayOf("text", topics);
            ps.setString(1, connector);
            ps.setArray(2, t);
            ps.setArray(3, connection.createArrayOf("int4", numbers));
            ps.setArray(4, connection.createArrayOf("int8", offsets));
            ps.executeUpdate();
        }
    }

    /** Sets (or, for a null offset, forgets) offsets: the REST offsets API on a stopped connector. */
    public void alter(Connection connection, Map<TopicPartition, Long> offsets) throws SQLException {
        Map<TopicPartition, Long> toSave = new HashMap<>();
        try (PreparedStatement delete = connection.prepareStatement(deleteSql)) {
            for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
                if (e.getValue() == null) {
                    delete.setString(1, connector);
                    delete.setString(2, e.getKey().topic());
                    delete.setInt(3, e.getKey().partition());
                    delete.addBatch();
                } else {
                    toSave.put(e.getKey(), e.getValue());
                }
            }
            delete.executeBatch();
        }
        save(connection, toSave);
    }
}
