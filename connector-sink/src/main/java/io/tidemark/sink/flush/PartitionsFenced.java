package io.tidemark.sink.flush;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.sink.offsets.OffsetStore;

/**
 * A flush rolled back whole because the database no longer holds some of its partitions as this
 * task left them: another task claimed them after this one did (their epoch moved on), or the
 * database went back (a failover to a standby that lacks the last commits): a lower epoch, no row,
 * or another offset than this task committed.
 */
public final class PartitionsFenced extends Exception {

    private final Map<TopicPartition, Long> ourEpochs;
    private final Map<TopicPartition, OffsetStore.Ownership> owners;

    PartitionsFenced(Map<TopicPartition, Long> ourEpochs, Map<TopicPartition, OffsetStore.Ownership> owners) {
        super(describe(ourEpochs, owners), null, false, false);
        this.ourEpochs = Map.copyOf(ourEpochs);
        this.owners = Map.copyOf(owners);
    }

    public Map<TopicPartition, Long> ourEpochs() {
        return ourEpochs;
    }

    /** The partitions another task took over; the others the database lost, and this task claims again. */
    public Set<TopicPartition> takenOver() {
        Set<TopicPartition> result = new HashSet<>();
        ourEpochs.forEach((tp, epoch) -> {
            if (OffsetStore.Ownership.takenOver(epoch, owners.get(tp))) {
                result.add(tp);
            }
        });
        return result;
    }

    private static String describe(Map<TopicPartition, Long> ourEpochs, Map<TopicPartition, OffsetStore.Ownership> owners) {
        StringBuilder s = new StringBuilder();
        ourEpochs.forEach((tp, epoch) -> {
            OffsetStore.Ownership now = owners.get(tp);
            if (s.length() > 0) {
                s.append("; ");
            }
            s.append(tp).append(": this task holds epoch ").append(epoch).append(", the database says ")
                    .append(now == null ? "the partition has no owner row" : "epoch " + now.epoch() + " owned by "
                            + now.owner() + " at offset " + Objects.toString(now.nextOffset(), "none"));
        });
        return s.toString();
    }
}
