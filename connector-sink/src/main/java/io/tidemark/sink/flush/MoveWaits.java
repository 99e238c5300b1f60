package io.tidemark.sink.flush;

import java.sql.SQLTransientException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import io.tidemark.sink.copy.UnavailableFill;

/**
 * The new key of a primary-key change whose old row nothing has yet: Debezium writes the delete of
 * the old key and the create of the new one by key, so into two partitions, and the old key's
 * partition (perhaps another task's) can be behind. The flush is retried, as after a transient
 * error, until the old row comes, for {@link #WAIT_MS} at most; after that the row goes to the
 * table's error policy like any row whose value is known nowhere.
 */
final class MoveWaits {

    static final long WAIT_MS = 60_000;

    /** Since when each waiting record (topic/partition@offset) waits. */
    private final Map<String, Long> since = new HashMap<>();

    /**
     * @throws SQLTransientException when a row still waits for its old key: the flush is retried
     */
    void waitForOldKeys(Collection<UnavailableFill.Unfillable> rows, long nowMs) throws SQLTransientException {
        if (since.size() > 10_000) {
            since.clear(); // records long applied or set aside
        }
        for (UnavailableFill.Unfillable u : rows) {
            if (u.waitsForOldKey()) {
                String record = TableRowsApplier.describe(u.change().record());
                long first = since.computeIfAbsent(record, r -> nowMs);
                if (nowMs - first < WAIT_MS) {
                    throw new SQLTransientException("record " + record + " moves a row to a new primary key and lacks"
                            + " values the old key's row has, which has not arrived yet (its partition is behind);"
                            + " waiting for it, " + (WAIT_MS - (nowMs - first)) / 1000 + " s more at most");
                }
            }
        }
    }

    /** The words to add to the reason of a row that waited in vain. */
    String gaveUp(UnavailableFill.Unfillable u) {
        return u.waitsForOldKey() && since.remove(TableRowsApplier.describe(u.change().record())) != null
                ? "; the old key's row did not arrive within " + WAIT_MS / 1000 + " s" : "";
    }
}
