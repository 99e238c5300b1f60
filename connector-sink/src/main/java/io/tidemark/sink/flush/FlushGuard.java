package io.tidemark.sink.flush;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * A last word on each flush, inside its transaction: license metering adds the flush's bytes to
 * the project's usage, or refuses the flush when it would cross the licensed volume (or finds the
 * usage tampered with). A refused flush is rolled back whole; the writer pauses its partitions
 * until the guard lets it resume.
 */
public interface FlushGuard {

    /** Once per connection, after the control schema is ready; the guard commits what it writes. */
    void prepare(Connection connection) throws SQLException;

    /**
     * @param appliedBytes the license measure of the rows this flush applied
     * @return null to commit, or the reason the flush must not commit
     */
    String beforeCommit(Connection connection, long appliedBytes) throws SQLException;

    /**
     * As {@link #beforeCommit(Connection, long)}, knowing the offsets the flush saves.
     *
     * @param nextOffsets the next offsets this flush stores, per partition
     */
    default String beforeCommit(Connection connection, long appliedBytes, Map<TopicPartition, Long> nextOffsets)
            throws SQLException {
        return beforeCommit(connection, appliedBytes);
    }

    /**
     * Partitions claimed, in the claim's transaction, with the next offsets the database holds
     * (null values: none). After a failover these are behind what the task committed, and the
     * usage went back with them.
     */
    default void claimed(Connection connection, Map<TopicPartition, Long> heldOffsets) throws SQLException {
    }

    /**
     * Whether the last refusal was for want of room with some room still left: a smaller flush may
     * fit, and the writer splits the batch instead of stopping.
     */
    default boolean roomLeft() {
        return false;
    }

    /** After a refusal, in a transaction of its own: record why the flow stopped. */
    void refused(Connection connection, String reason) throws SQLException;

    /** While stopped: whether the flow may resume now (e.g. a new license key was installed). */
    boolean mayResume(Connection connection) throws SQLException;

    /**
     * Text for the metadata of the consumer offsets the task commits (at most a few hundred
     * characters), or null: the license meter's high-water mark, a copy kept outside the target
     * database. Called on the task's thread after {@code preCommit} took the last flush back.
     */
    default String commitMetadata() {
        return null;
    }
}
