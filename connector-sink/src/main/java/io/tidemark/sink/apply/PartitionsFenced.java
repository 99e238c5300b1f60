package io.tidemark.sink.apply;

import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.tidemark.sink.offsets.OffsetStore;

/**
 * A flush rolled back whole because another task claimed some of its partitions after this task
 * did (their epoch moved on): this task is no longer their owner and must not commit for them.
 */
final class PartitionsFenced extends Exception {

    private final Map<TopicPartition, Long> ourEpochs;
    private final Map<TopicPartition, OffsetStore.Ownership> owners;

    PartitionsFenced(Map<TopicPartition, Long> ourEpochs, Map<TopicPartition, OffsetStore.Ownership> owners) {
        super(describe(ourEpochs, owners), null, false, false);
        this.ourEpochs = Map.copyOf(ourEpochs);
        this.owners = Map.copyOf(owners);
    }

    Map<TopicPartition, Long> ourEpochs() {
        return ourEpochs;
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
                            + now.owner());
        });
        return s.toString();
    }
}
