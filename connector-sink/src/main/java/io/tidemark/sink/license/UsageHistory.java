package io.tidemark.sink.license;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * This task's recent metered commits: the usage each one left and the offsets it stored. A
 * database that went back as a whole (a failover to a standby that lacked the last commits) holds
 * the offsets of one of them and a usage between that commit's and the next one's; an older usage
 * row put back alone does not.
 */
final class UsageHistory {

    /** Enough to cover the commits a standby can lag behind by; older ones are forgotten. */
    private static final int KEPT = 1000;

    /**
     * One metered commit.
     *
     * @param usedAfter   the usage the commit wrote
     * @param bytes       the bytes it added
     * @param nextOffsets the next offsets it stored
     */
    record Commit(long usedAfter, long bytes, Map<TopicPartition, Long> nextOffsets) {
        Commit {
            nextOffsets = Map.copyOf(nextOffsets);
        }
    }

    /** The usage after each commit, and every offset this task had stored by then. */
    private record Point(long usedAfter, long bytes, Map<TopicPartition, Long> offsets) {
    }

    private final List<Point> points = new ArrayList<>();
    private Map<TopicPartition, Long> stored = new HashMap<>();

    /** A commit from here is known to have committed. */
    void committed(Commit commit) {
        if (commit == null) {
            return;
        }
        stored = new HashMap<>(stored);
        stored.putAll(commit.nextOffsets());
        points.add(new Point(commit.usedAfter(), commit.bytes(), stored));
        if (points.size() > KEPT) {
            points.remove(0);
        }
    }

    /**
     * Whether the database holds now what it held just after one of this task's commits, as far as
     * this task can tell: its partitions' offsets equal that commit's, and the usage lies between
     * that commit's and the next one's (other tasks may have added theirs between). If so, the
     * commits after it are forgotten: they are lost, and will come again.
     */
    boolean wentBackTo(Map<TopicPartition, Long> heldOffsets, long usedNow) {
        for (int i = points.size() - 1; i >= 0; i--) {
            Point p = points.get(i);
            if (!sameOffsets(p.offsets(), heldOffsets)) {
                continue;
            }
            Point next = i + 1 < points.size() ? points.get(i + 1) : null;
            boolean between = usedNow >= p.usedAfter() && (next == null || usedNow <= next.usedAfter() - next.bytes());
            if (between) {
                points.subList(i + 1, points.size()).clear();
                stored = p.offsets();
            }
            return between;
        }
        return false;
    }

    /** Every partition held now that this task had stored by then has the same offset; at least one does. */
    private static boolean sameOffsets(Map<TopicPartition, Long> then, Map<TopicPartition, Long> now) {
        boolean any = false;
        for (Map.Entry<TopicPartition, Long> e : now.entrySet()) {
            if (then.containsKey(e.getKey())) {
                if (!then.get(e.getKey()).equals(e.getValue())) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }
}
