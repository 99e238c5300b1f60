package io.tidemark.sink.offsets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.sink.control.ControlSchema;

/**
 * The Kafka offsets that the target database holds, per sink connector and partition: the next
 * offset to apply, and who owns the partition. Offsets are written in the same transaction as the
 * rows they cover, so the database and this table never disagree; on assignment the task seeks
 * to them.
 *
 * <p>Ownership is an epoch per partition: a task raises it when it is given the partition
 * ({@link #claim}) and a flush saves its offsets only while the epoch is still the one it claimed
 * ({@link #save}). A task that lost the partition (a zombie whose flush outlived its session, a
 * task the worker gave up on) therefore cannot commit over its successor.
 */
public final class OffsetStore {

    /** A partition this task owns: the epoch it claimed, and the next offset the database holds (null: none yet). */
    public record Claim(long epoch, Long nextOffset) {
    }

    /** What the database says about a partition now: its epoch, owner and stored offset. */
    public record Ownership(long epoch, String owner, Long nextOffset) {

        /**
         * Whether another task took the partition over from the holder of {@code ourEpoch}: only a
         * claim raises an epoch. A lower epoch, or none, is a database that went back (a failover
         * to a standby that lacks the last commits, a restored backup): nobody else holds the
         * partition, and the task may claim it again.
         */
        public static boolean takenOver(long ourEpoch, Ownership now) {
            return now != null && now.epoch() > ourEpoch;
        }
    }

    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final String connector;
    private final String table;
    private final String claimSql;
    private final String ownershipSql;
    private final String saveSql;
    private final String alterSql;

    public OffsetStore(ControlSchema control, String connector) {
        this.connector = connector;
        this.table = control.table("kafka_offsets");
        this.claimSql = "INSERT INTO " + table + " AS k (connector, topic, kafka_partition, next_offset, owner_epoch,"
                + " owner, claimed_at, updated_at)"
                + " SELECT ?, t, p, NULL, 1, ?, now(), now() FROM unnest(?::text[], ?::int[]) AS x(t, p)"
                + " ON CONFLICT (connector, topic, kafka_partition) DO UPDATE SET owner_epoch = k.owner_epoch + 1,"
                + " owner = EXCLUDED.owner, claimed_at = EXCLUDED.claimed_at"
                + " RETURNING topic, kafka_partition, next_offset, owner_epoch";
        this.ownershipSql = "SELECT topic, kafka_partition, owner_epoch, owner, next_offset FROM " + table
                + " WHERE connector = ? AND (topic, kafka_partition) IN (SELECT * FROM unnest(?::text[], ?::int[]))";
        this.saveSql = "UPDATE " + table + " AS k SET next_offset = x.o, updated_at = now()"
                + " FROM unnest(?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[]) AS x(t, p, o, e, b)"
                + " WHERE k.connector = ? AND k.topic = x.t AND k.kafka_partition = x.p AND k.owner_epoch = x.e"
                + " AND (NOT ? OR k.next_offset IS NOT DISTINCT FROM x.b)"
                + " RETURNING k.topic, k.kafka_partition";
        this.alterSql = "INSERT INTO " + table + " AS k (connector, topic, kafka_partition, next_offset, owner_epoch,"
                + " owner, claimed_at, updated_at) VALUES (?, ?, ?, ?, 1, 'REST offsets API', now(), now())"
                + " ON CONFLICT (connector, topic, kafka_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset,"
                + " owner_epoch = k.owner_epoch + 1, owner = EXCLUDED.owner, claimed_at = EXCLUDED.claimed_at,"
                + " updated_at = EXCLUDED.updated_at";
    }

    public String connector() {
        return connector;
    }

    /**
     * Takes the partitions over: raises each one's epoch (creating its row if new) and returns the
     * epoch and stored offset, in the caller's transaction. A flush of the previous owner still in
     * progress holds the row until it ends, so the offset returned includes it.
     */
    public Map<TopicPartition, Claim> claim(Connection connection, Collection<TopicPartition> partitions, String owner)
            throws SQLException {
        Map<TopicPartition, Claim> result = new HashMap<>();
        if (partitions.isEmpty()) {
            return result;
        }
        List<TopicPartition> sorted = sorted(partitions); // one lock order for every task: no deadlock
        try (PreparedStatement ps = connection.prepareStatement(claimSql)) {
            ps.setString(1, connector);
            ps.setString(2, owner);
            ps.setArray(3, connection.createArrayOf("text", topics(sorted)));
            ps.setArray(4, connection.createArrayOf("int4", numbers(sorted)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long next = rs.getLong(3);
                    Long stored = rs.wasNull() ? null : next;
                    result.put(new TopicPartition(rs.getString(1), rs.getInt(2)), new Claim(rs.getLong(4), stored));
                }
            }
        }
        return result;
    }

    /** The epoch, owner and stored offset of each partition that has a row. */
    public Map<TopicPartition, Ownership> ownership(Connection connection, Collection<TopicPartition> partitions)
            throws SQLException {
        Map<TopicPartition, Ownership> result = new HashMap<>();
        if (partitions.isEmpty()) {
            return result;
        }
        List<TopicPartition> list = List.copyOf(partitions);
        try (PreparedStatement ps = connection.prepareStatement(ownershipSql)) {
            ps.setString(1, connector);
            ps.setArray(2, connection.createArrayOf("text", topics(list)));
            ps.setArray(3, connection.createArrayOf("int4", numbers(list)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long next = rs.getLong(5);
                    Long stored = rs.wasNull() ? null : next;
                    result.put(new TopicPartition(rs.getString(1), rs.getInt(2)),
                            new Ownership(rs.getLong(3), rs.getString(4), stored));
                }
            }
        }
        return result;
    }

    /** The stored next offsets of the partitions that have one. */
    public Map<TopicPartition, Long> load(Connection connection, Collection<TopicPartition> partitions)
            throws SQLException {
        Map<TopicPartition, Long> result = new HashMap<>();
        ownership(connection, partitions).forEach((tp, o) -> {
            if (o.nextOffset() != null) {
                result.put(tp, o.nextOffset());
            }
        });
        return result;
    }

    /**
     * Saves the next offsets, in the caller's transaction, for the partitions whose epoch is still
     * the one given. The row stays locked until the transaction ends, so a claim waits for it.
     *
     * @return the partitions whose offsets were NOT saved: another task claimed them since
     */
    public List<TopicPartition> save(Connection connection, Map<TopicPartition, Long> nextOffsets,
                                     Map<TopicPartition, Long> epochs) throws SQLException {
        return save(connection, nextOffsets, epochs, null);
    }

    /**
     * Saves the next offsets like {@link #save(Connection, Map, Map)}, and only where the database
     * still holds the offsets {@code before} (null: any): a database that lost commits (a failover
     * to a standby behind the primary) must not be moved past changes it no longer has.
     *
     * @return the partitions whose offsets were NOT saved: claimed by another task, or gone back
     */
    public List<TopicPartition> save(Connection connection, Map<TopicPartition, Long> nextOffsets,
                                     Map<TopicPartition, Long> epochs, Map<TopicPartition, Long> before)
            throws SQLException {
        if (nextOffsets.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> sorted = sorted(nextOffsets.keySet());
        Long[] offsets = new Long[sorted.size()];
        Long[] expected = new Long[sorted.size()];
        Long[] previous = new Long[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            offsets[i] = nextOffsets.get(sorted.get(i));
            previous[i] = before == null ? null : before.get(sorted.get(i));
            Long epoch = epochs.get(sorted.get(i));
            expected[i] = epoch == null ? -1L : epoch; // never claimed: no row has epoch -1, so it is refused
        }
        List<TopicPartition> notSaved = new ArrayList<>(sorted);
        try (PreparedStatement ps = connection.prepareStatement(saveSql)) {
            ps.setArray(1, connection.createArrayOf("text", topics(sorted)));
            ps.setArray(2, connection.createArrayOf("int4", numbers(sorted)));
            ps.setArray(3, connection.createArrayOf("int8", offsets));
            ps.setArray(4, connection.createArrayOf("int8", expected));
            ps.setArray(5, connection.createArrayOf("int8", previous));
            ps.setString(6, connector);
            ps.setBoolean(7, before != null);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    notSaved.remove(new TopicPartition(rs.getString(1), rs.getInt(2)));
                }
            }
        }
        return notSaved;
    }

    /**
     * Locks the rows of the partitions this task still owns under the epochs it claimed them with,
     * until the transaction ends: no other task can claim them meanwhile, so what the caller then
     * does to them (drop staged rows, move the offset back) cannot reach a successor's work.
     *
     * @return the partitions still owned (locked); the others were claimed by another task since
     */
    public List<TopicPartition> lockOwned(Connection connection, Map<TopicPartition, Long> epochs) throws SQLException {
        List<TopicPartition> owned = new ArrayList<>();
        if (epochs.isEmpty()) {
            return owned;
        }
        List<TopicPartition> sorted = sorted(epochs.keySet());
        try (PreparedStatement ps = connection.prepareStatement("SELECT k.topic, k.kafka_partition FROM " + table
                + " k JOIN unnest(?::text[], ?::int[], ?::bigint[]) AS x(t, p, e) ON k.topic = x.t"
                + " AND k.kafka_partition = x.p AND k.owner_epoch = x.e WHERE k.connector = ?"
                + " ORDER BY k.topic, k.kafka_partition FOR UPDATE OF k")) {
            ps.setArray(1, connection.createArrayOf("text", topics(sorted)));
            ps.setArray(2, connection.createArrayOf("int4", numbers(sorted)));
            ps.setArray(3, connection.createArrayOf("int8", sorted.stream().map(epochs::get).toArray(Long[]::new)));
            ps.setString(4, connector);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owned.add(new TopicPartition(rs.getString(1), rs.getInt(2)));
                }
            }
        }
        return owned;
    }

    /**
     * Sets (or, for a null offset, forgets) offsets: the REST offsets API on a stopped connector.
     * Raises the epochs too, so that a task which outlived the stop cannot commit over the change.
     */
    public void alter(Connection connection, Map<TopicPartition, Long> offsets) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(alterSql)) {
            for (TopicPartition tp : sorted(offsets.keySet())) {
                ps.setString(1, connector);
                ps.setString(2, tp.topic());
                ps.setInt(3, tp.partition());
                ps.setObject(4, offsets.get(tp), java.sql.Types.BIGINT);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** How many partitions each owner (task) of this connector holds now, by the last claim of each. */
    public Map<String, Long> partitionsPerOwner(Connection connection) throws SQLException {
        Map<String, Long> result = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT owner, count(*) FROM " + table
                + " WHERE connector = ? AND owner IS NOT NULL GROUP BY owner")) {
            ps.setString(1, connector);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return result;
    }

    private static List<TopicPartition> sorted(Collection<TopicPartition> partitions) {
        List<TopicPartition> list = new ArrayList<>(partitions);
        list.sort(ORDER);
        return list;
    }

    private static String[] topics(List<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::topic).toArray(String[]::new);
    }

    private static Integer[] numbers(List<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).toArray(Integer[]::new);
    }
}
