package io.tidemark.sink.offsets;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;

/**
 * Where each partition of the task stands: whether the task owns it (claimed, under which epoch),
 * the next offset the database holds, and the rewinds the consumer still has to make.
 *
 * <p>Rewinds are collected here and handed to Connect only at points where the assignment cannot
 * change before Connect acts on them ({@link #takeRewinds}, called by {@code put} and
 * {@code open}): Connect seeks every offset it was given before its next poll, or right after
 * {@code open}, and seeking a partition that a rebalance took away in the meantime fails the task.
 * A rewind asked for in {@code preCommit} or {@code close} (both run inside a rebalance) therefore
 * waits, and is forgotten if the partition goes.
 */
public final class PartitionPositions {

    /** What to do with a record of a partition. */
    public enum Verdict {
        /** Apply it. */
        ACCEPT,
        /** Applied already, or its partition is being rewound or belongs to another task: drop it silently. */
        SKIP,
        /** Not now: it must come again (the partition is rewound to it). */
        HOLD
    }

    private static final class Position {
        /** The epoch this task claimed the partition under; null until the claim succeeded. */
        Long epoch;
        /** The next offset the database holds; null when it holds none. */
        Long committed;
        /** Another task claimed the partition after this one: nothing of it is applied any more. */
        boolean fenced;
        /** While unclaimed and without a stored offset: the first record held back, to start from. */
        Long heldBackFrom;
        /**
         * The offset the next record must have at least: past the last record taken, or where the
         * partition was last rewound to. Connect never goes back unless asked, so a record below it
         * is one delivered again (and buffered, or applied, already).
         */
        Long expected;
    }

    private final Map<TopicPartition, Position> positions = new HashMap<>();
    /** Rewinds wanted and not yet handed to Connect, per partition: the earliest wins. */
    private final Map<TopicPartition, Long> wanted = new HashMap<>();
    /** Rewinds handed to Connect during the current {@code put}: Connect makes them before its next poll. */
    private final Set<TopicPartition> handedOver = new HashSet<>();

    /** Partitions given to the task; they are not owned until {@link #claimed}. */
    public void assign(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            positions.put(tp, new Position());
            wanted.remove(tp);
            handedOver.remove(tp);
        }
    }

    /**
     * The claim succeeded: from now on the partition is the task's. It starts from the stored
     * offset, or, when there is none, from the first record held back while it was unclaimed.
     */
    public void claimed(Map<TopicPartition, OffsetStore.Claim> claims) {
        claims.forEach((tp, claim) -> {
            Position p = positions.get(tp);
            if (p == null) {
                return; // revoked while the claim ran
            }
            p.epoch = claim.epoch();
            p.fenced = false;
            p.committed = claim.nextOffset();
            Long start = claim.nextOffset() != null ? claim.nextOffset() : p.heldBackFrom;
            p.heldBackFrom = null;
            p.expected = claim.nextOffset();
            if (start != null) {
                rewind(tp, start);
            }
        });
    }

    /** Partitions taken away: forget them, and any rewind still meant for them. */
    public void revoke(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            positions.remove(tp);
            wanted.remove(tp);
            handedOver.remove(tp);
        }
    }

    /**
     * Another task owns these partitions now (its claim raised the epoch): apply nothing more of
     * them, and forget their offsets. A later assignment claims them again.
     */
    public void fence(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            Position p = positions.get(tp);
            if (p != null) {
                p.fenced = true;
                p.committed = null;
            }
            wanted.remove(tp);
        }
    }

    /**
     * The database no longer holds these partitions as the task left them (it went back: a
     * failover, a restored backup): forget the claim, so that the task claims them again and starts
     * from what the database holds now.
     */
    public void unclaim(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            Position p = positions.get(tp);
            if (p != null) {
                p.epoch = null;
                p.fenced = false;
                p.committed = null;
                p.expected = null;
                p.heldBackFrom = null;
            }
            wanted.remove(tp);
        }
    }

    /** Called as a {@code put} begins: what was handed to Connect in the last one has been done. */
    public void beginPut() {
        handedOver.clear();
    }

    /** What to do with a record at {@code offset} of {@code tp}. */
    public Verdict verdict(TopicPartition tp, long offset) {
        Position p = positions.get(tp);
        if (p == null || p.fenced || wanted.containsKey(tp) || handedOver.contains(tp)) {
            return Verdict.SKIP;
        }
        if ((p.committed != null && offset < p.committed) || (p.expected != null && offset < p.expected)) {
            return Verdict.SKIP; // applied or buffered already: delivered again after a rewind or a retry
        }
        return p.epoch == null ? Verdict.HOLD : Verdict.ACCEPT;
    }

    /** The record at {@code offset} was taken into the batch: the next one must come after it. */
    public void taken(TopicPartition tp, long offset) {
        Position p = positions.get(tp);
        if (p != null) {
            p.expected = offset + 1;
        }
    }

    /** A record that must come again: its partition goes back to it (or, unclaimed, remembers it). */
    public void holdBack(TopicPartition tp, long offset) {
        Position p = positions.get(tp);
        if (p == null || p.fenced || (p.committed != null && offset < p.committed)) {
            return;
        }
        if (p.epoch == null) {
            p.heldBackFrom = p.heldBackFrom == null ? offset : Math.min(p.heldBackFrom, offset);
            return;
        }
        rewind(tp, offset);
    }

    /** Asks for the partition to be delivered again from {@code offset} (the earliest asked for wins). */
    public void rewind(TopicPartition tp, long offset) {
        Position p = positions.get(tp);
        if (p == null || p.fenced) {
            return;
        }
        wanted.merge(tp, offset, Math::min);
    }

    /**
     * Delivers the partition again from the first record the database lacks: the stored offset, or,
     * when nothing is stored, {@code firstUnapplied}.
     */
    public void rewindToDatabase(TopicPartition tp, Long firstUnapplied) {
        Position p = positions.get(tp);
        if (p == null) {
            return;
        }
        Long target = p.committed != null ? p.committed : firstUnapplied;
        if (target != null) {
            rewind(tp, target);
        }
    }

    /**
     * The rewinds to hand to Connect now, for partitions the task still has. They count as handed
     * over: the partitions' records are skipped until the next {@code put}.
     */
    public Map<TopicPartition, Long> takeRewinds() {
        Map<TopicPartition, Long> result = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        wanted.forEach((tp, offset) -> {
            Position p = positions.get(tp);
            if (p != null) {
                result.put(tp, offset);
                p.expected = offset; // from the next put on, records come from here
            }
        });
        handedOver.addAll(wanted.keySet());
        wanted.clear();
        return result;
    }

    /** Offsets the database now holds, after a commit. */
    public void committed(Map<TopicPartition, Long> offsets) {
        offsets.forEach((tp, offset) -> {
            Position p = positions.get(tp);
            if (p != null && !p.fenced) {
                p.committed = offset;
            }
        });
    }

    /** The next offset the database holds for the partition, or null. */
    public Long committedOffset(TopicPartition tp) {
        Position p = positions.get(tp);
        return p == null ? null : p.committed;
    }

    /** The next offsets the database held at the last commit (null values: none), for a flush to check. */
    public Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> result = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Position p = positions.get(tp);
            if (p != null) {
                result.put(tp, p.committed);
            }
        }
        return result;
    }

    /** The epochs the task claimed, for a flush to save its offsets under. */
    public Map<TopicPartition, Long> epochs(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> result = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Position p = positions.get(tp);
            if (p != null && p.epoch != null && !p.fenced) {
                result.put(tp, p.epoch);
            }
        }
        return result;
    }

    /** The offsets to report to Connect: what the database holds, for the partitions the task owns. */
    public Map<TopicPartition, Long> reportable() {
        Map<TopicPartition, Long> result = new HashMap<>();
        positions.forEach((tp, p) -> {
            if (p.epoch != null && !p.fenced && p.committed != null) {
                result.put(tp, p.committed);
            }
        });
        return result;
    }

    public boolean isAssigned(TopicPartition tp) {
        return positions.containsKey(tp);
    }

    public boolean isOwned(TopicPartition tp) {
        Position p = positions.get(tp);
        return p != null && p.epoch != null && !p.fenced;
    }

    /** Assigned partitions the task has not been able to claim yet. */
    public List<TopicPartition> unclaimed() {
        return positions.entrySet().stream().filter(e -> e.getValue().epoch == null && !e.getValue().fenced)
                .map(Map.Entry::getKey).toList();
    }

    /** Every partition the task owns (claimed, not fenced). */
    public Set<TopicPartition> owned() {
        Set<TopicPartition> result = new HashSet<>();
        positions.forEach((tp, p) -> {
            if (p.epoch != null && !p.fenced) {
                result.add(tp);
            }
        });
        return result;
    }

    public Set<TopicPartition> assigned() {
        return Set.copyOf(positions.keySet());
    }
}
