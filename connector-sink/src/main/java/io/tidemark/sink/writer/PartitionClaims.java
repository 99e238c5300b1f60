package io.tidemark.sink.writer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.errors.RetrySchedule;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.flush.ApplierSession;
import io.tidemark.sink.flush.FlushGuard;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.sink.offsets.PartitionPositions;

/**
 * Takes partitions over in the database (the owner epoch of {@link OffsetStore}) when Connect assigns
 * them, and again, with backoff, those an attempt could not take: a database that is only unreachable
 * for now leaves them paused, never failed. Runs on the task thread, on the applier's connection
 * (the caller has taken any flush in flight back first).
 */
final class PartitionClaims {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionClaims.class);

    private final String connector;
    private final String owner;
    private final ApplierSession session;
    private final OffsetStore offsetStore;
    private final FlushGuard guard;
    private final Lifecycle lifecycle;
    private final PartitionPositions positions;
    private final FlushFailures failures;
    private final ConsumerControl consumer;
    private final RetrySchedule retry;

    PartitionClaims(String connector, String owner, ApplierSession session, OffsetStore offsetStore, FlushGuard guard,
                    Lifecycle lifecycle, PartitionPositions positions, FlushFailures failures,
                    ConsumerControl consumer, RetrySchedule retry) {
        this.connector = connector;
        this.owner = owner;
        this.session = session;
        this.offsetStore = offsetStore;
        this.guard = guard;
        this.lifecycle = lifecycle;
        this.positions = positions;
        this.failures = failures;
        this.consumer = consumer;
        this.retry = retry;
    }

    /** The partitions an earlier attempt could not take, when a new attempt is due; else empty. */
    List<TopicPartition> due(long now) {
        List<TopicPartition> unclaimed = positions.unclaimed();
        return unclaimed.isEmpty() || !retry.due(now) ? List.of() : unclaimed;
    }

    /**
     * One attempt, bounded by the connection's timeouts (it may run inside the consumer's rebalance).
     *
     * @return true when the partitions are the task's now
     */
    boolean claim(Collection<TopicPartition> partitions) {
        long now = System.currentTimeMillis();
        try {
            Connection c = session.connection();
            Map<TopicPartition, OffsetStore.Claim> claims = offsetStore.claim(c, partitions, owner);
            Map<TopicPartition, Long> held = new HashMap<>();
            claims.forEach((tp, claim) -> held.put(tp, claim.nextOffset()));
            if (guard != null) {
                guard.claimed(c, held); // after a failover: the offsets went back with the usage
            }
            c.commit();
            lifecycle.claimed(claims.keySet()); // their iterations and tables, before any record of theirs
            positions.claimed(claims);
            retry.succeeded();
            Map<TopicPartition, Long> stored = new HashMap<>();
            claims.forEach((tp, claim) -> {
                if (claim.nextOffset() != null) {
                    stored.put(tp, claim.nextOffset());
                }
            });
            LOG.info("{} owns {} partition(s); {} start from the offsets stored in PostgreSQL: {}", owner,
                    claims.size(), stored.size(), stored);
            return true;
        } catch (SQLException e) {
            failures.connectionInDoubt();
            long backoff = SqlErrors.isTransient(e) ? retry.failed(now) : -1;
            if (backoff < 0) {
                throw new ConnectException("Cannot take partitions " + partitions + " over in PostgreSQL: "
                        + SqlErrors.describe(e) + ". Nothing was applied; the records wait in Kafka. Once the database "
                        + "is reachable, restart the task (POST /connectors/" + connector
                        + "/restart?includeTasks=true).", e);
            }
            consumer.wakeUpWithin(backoff);
            LOG.warn("Cannot take partitions {} over in PostgreSQL yet ({}); they stay paused and are claimed again "
                    + "in {} ms", partitions, SqlErrors.describe(e), backoff);
            return false;
        }
    }
}
