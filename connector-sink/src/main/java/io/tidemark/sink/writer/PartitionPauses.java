package io.tidemark.sink.writer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * Why each partition is paused. A partition is paused in the consumer while it has at least one
 * reason, and resumed when its last reason goes: the reasons are independent (a table stopped by an
 * error, the license gate, a partition not claimed yet), so none of them may resume what another
 * one paused. Records of a paused partition stay in Kafka.
 */
public final class PartitionPauses {

    /** A reason to pause a partition. */
    public enum Reason {
        /** The task could not yet take the partition over in the database (it is unreachable). */
        UNCLAIMED,
        /** Its table stopped with an error. */
        TABLE_STOPPED,
        /** The flush guard (license) refused to apply more. */
        FLOW_BLOCKED,
        /** Another task owns the partition in the database. */
        FENCED,
        /** A FULL table's partition passed marker N and waits until iteration N is applied. */
        WAITING,
        /** The operator paused or stopped the table (an accepted desired state). */
        DESIRED,
        /** The partition passed the final marker of a soft stop. */
        FINAL,
        /** A key change in it waits, for a short time, for its old row (see {@code MoveHolds}). */
        MOVE_WAIT
    }

    private final ConsumerControl consumer;
    private final Map<TopicPartition, EnumSet<Reason>> reasons = new HashMap<>();

    PartitionPauses(ConsumerControl consumer) {
        this.consumer = consumer;
    }

    public void pause(Collection<TopicPartition> partitions, Reason reason) {
        List<TopicPartition> newlyPaused = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            EnumSet<Reason> set = reasons.computeIfAbsent(tp, k -> EnumSet.noneOf(Reason.class));
            if (set.isEmpty()) {
                newlyPaused.add(tp);
            }
            set.add(reason);
        }
        if (!newlyPaused.isEmpty()) {
            consumer.pause(newlyPaused);
        }
    }

    /** Removes the reason from these partitions; resumes those left with none. */
    void resume(Collection<TopicPartition> partitions, Reason reason) {
        List<TopicPartition> resumed = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            EnumSet<Reason> set = reasons.get(tp);
            if (set != null && set.remove(reason) && set.isEmpty()) {
                reasons.remove(tp);
                resumed.add(tp);
            }
        }
        if (!resumed.isEmpty()) {
            consumer.resume(resumed);
        }
    }

    /**
     * Resumes, in the consumer, those of these partitions that have no reason to be paused: Connect
     * pauses a partition again by itself when it comes back to the task that had paused it (an eager
     * rebalance revokes and assigns every partition), while the task gave up its reasons with it.
     */
    void resumeUnlessHeld(Collection<TopicPartition> partitions) {
        List<TopicPartition> free = unpaused(partitions);
        if (!free.isEmpty()) {
            consumer.resume(free);
        }
    }

    /** Removes the reason from every partition that has it. */
    void resumeAll(Reason reason) {
        resume(partitionsWith(reason), reason);
    }

    boolean has(TopicPartition tp, Reason reason) {
        EnumSet<Reason> set = reasons.get(tp);
        return set != null && set.contains(reason);
    }

    boolean isPaused(TopicPartition tp) {
        return reasons.containsKey(tp);
    }

    /** Those of these partitions the consumer fetches (a paused one keeps its lag while it waits). */
    List<TopicPartition> unpaused(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(tp -> !reasons.containsKey(tp)).toList();
    }

    Set<TopicPartition> partitionsWith(Reason reason) {
        Set<TopicPartition> result = new java.util.HashSet<>();
        reasons.forEach((tp, set) -> {
            if (set.contains(reason)) {
                result.add(tp);
            }
        });
        return result;
    }

    /** Partitions revoked: Connect forgets their pause itself. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(reasons::remove);
    }
}
