package io.tidemark.sink.flush;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.sink.batch.Offsets;
import io.tidemark.sink.copy.UnavailableFill;

/**
 * The new key of a primary-key change whose old row nothing has yet: Debezium writes the delete of
 * the old key and the create of the new one by key, so into two partitions, and the old key's
 * partition (perhaps another task's) can be behind. The flush is rolled back and the waiting
 * partitions wait a little ({@link MoveWaitsForOldRow}) until the old row comes, for {@link #WAIT_MS}
 * at most; after that the row goes to the table's error policy like any row whose value is known
 * nowhere. One per task, outliving connections: a retry on a new connection does not start the
 * wait again.
 */
final class MoveWaits {

    static final long WAIT_MS = 60_000;

    /** Since when each waiting record (topic/partition@offset) waits. */
    private final Map<String, Long> since = new HashMap<>();

    /**
     * @throws MoveWaitsForOldRow when rows still wait for their old keys: the flush is rolled back and
     *                            the waiting partitions wait a little before they go on from there
     */
    void waitForOldKeys(Collection<UnavailableFill.Unfillable> rows, long nowMs) throws MoveWaitsForOldRow {
        if (since.size() > 10_000) {
            since.clear(); // records long applied or set aside
        }
        Map<TopicPartition, Long> waiting = new HashMap<>();
        String first = null;
        for (UnavailableFill.Unfillable u : rows) {
            if (u.waitsForOldKey()) {
                SinkRecord r = u.change().record();
                String record = TableRowsApplier.describe(r);
                long firstSeen = since.computeIfAbsent(record, k -> nowMs);
                if (nowMs - firstSeen < WAIT_MS) {
                    waiting.merge(Offsets.partitionOf(r), r.originalKafkaOffset(), Math::min);
                    if (first == null) {
                        first = "record " + record + " moves a row to a new primary key and lacks values the old key's"
                                + " row has, which has not arrived yet (its partition is behind); waiting for it, "
                                + (WAIT_MS - (nowMs - firstSeen)) / 1000 + " s more at most";
                    }
                }
            }
        }
        if (!waiting.isEmpty()) {
            throw new MoveWaitsForOldRow(first, waiting);
        }
    }

    /**
     * The words to add to the reason of a row that waited in vain. The record stays known as given
     * up on: should its flush be rolled back and applied again, it does not wait a second time.
     */
    String gaveUp(UnavailableFill.Unfillable u) {
        return u.waitsForOldKey() && since.containsKey(TableRowsApplier.describe(u.change().record()))
                ? "; the old key's row did not arrive within " + WAIT_MS / 1000 + " s" : "";
    }
}
