package io.tidemark.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A real writer driven the way Connect drives a task, over an in-memory log of the topics' records
 * instead of Kafka: a partition is opened the first time it has records, every {@link #pump} hands
 * the writer what each partition that is not paused has from its position on, and a rewind the
 * writer asks for moves that position, as Connect's consumer would. Several tasks (a restarted one,
 * another task of the connector) can share one {@link Log}.
 */
final class TestTask {

    /** The records in "Kafka", per partition, in offset order. */
    static final class Log {
        private final Map<TopicPartition, List<SinkRecord>> records = new HashMap<>();

        /** Appends records (each TestTable gives its partition increasing offsets). */
        synchronized Log append(SinkRecord... appended) {
            for (SinkRecord r : appended) {
                records.computeIfAbsent(new TopicPartition(r.topic(), r.kafkaPartition()), k -> new ArrayList<>()).add(r);
            }
            return this;
        }

        private synchronized Set<TopicPartition> partitions() {
            return Set.copyOf(records.keySet());
        }

        private synchronized List<SinkRecord> from(TopicPartition tp, long position) {
            return records.getOrDefault(tp, List.of()).stream().filter(r -> r.kafkaOffset() >= position).toList();
        }
    }

    /** What Connect's consumer does when the writer asks: positions, pauses, and the calls, for assertions. */
    final class Consumer implements ConsumerControl {
        final Map<TopicPartition, Long> rewinds = new HashMap<>();
        final Set<TopicPartition> paused = new HashSet<>();

        @Override
        public void rewind(Map<TopicPartition, Long> offsets) {
            rewinds.putAll(offsets);
            positions.putAll(offsets);
        }

        @Override
        public void pause(Collection<TopicPartition> partitions) {
            paused.addAll(partitions);
        }

        @Override
        public void resume(Collection<TopicPartition> partitions) {
            paused.removeAll(partitions);
        }

        @Override
        public void wakeUpWithin(long millis) {
            // the test pumps on its own schedule
        }
    }

    final Log log;
    final Consumer consumer = new Consumer();
    final SinkWriter writer;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    /** Partitions this task takes (null: every partition of the log). */
    private final Set<TopicPartition> only;

    TestTask(Log log, TestWriters.Builder builder) {
        this(log, builder, null);
    }

    TestTask(Log log, TestWriters.Builder builder, Set<TopicPartition> only) {
        this.log = log;
        this.only = only;
        this.writer = builder.consumer(consumer).start();
    }

    /** One round of Connect's loop: open new partitions, put what the unpaused ones have, commit, put nothing. */
    void pump() {
        take();
        writer.preCommit();
        writer.put(List.of());
    }

    /** Opens new partitions and puts what the unpaused ones have; what is buffered may stay buffered. */
    void take() {
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : log.partitions()) {
            if ((only == null || only.contains(tp)) && assigned.add(tp)) {
                fresh.add(tp);
                positions.putIfAbsent(tp, 0L);
            }
        }
        if (!fresh.isEmpty()) {
            writer.open(fresh);
        }
        List<SinkRecord> batch = new ArrayList<>();
        List<TopicPartition> ordered = new ArrayList<>(positions.keySet());
        ordered.sort(java.util.Comparator.comparing(TopicPartition::toString));
        for (TopicPartition tp : ordered) {
            if (consumer.paused.contains(tp)) {
                continue;
            }
            List<SinkRecord> next = log.from(tp, positions.get(tp));
            batch.addAll(next);
            if (!next.isEmpty()) {
                positions.put(tp, next.get(next.size() - 1).kafkaOffset() + 1);
            }
        }
        writer.put(batch);
    }

    /** Pumps until the condition holds, 15 s at most. */
    void pumpUntil(String what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            pump();
            sleep(40);
        }
        assertThat(condition.getAsBoolean()).as(what + " (within 15 s)").isTrue();
    }

    /** Pumps for a while, whatever happens: before a check that something did NOT happen. */
    void pumpFor(long millis) {
        long until = System.currentTimeMillis() + millis;
        do {
            pump();
            sleep(40);
        } while (System.currentTimeMillis() < until);
    }

    /** Connect stops the task (a restart, a rebalance that moves it): what is buffered is applied. */
    void stop() {
        writer.stop();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
