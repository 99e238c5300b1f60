package io.tidemark.it.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What each table topic partition holds, in order: change events and markers, each with its
 * commit rank (the position of its transaction's commit in the source, from a ground truth the
 * test supplies). {@link #violations} states the marker contract as checks:
 * <ul>
 *   <li>each partition holds every expected marker id exactly once, in increasing order;</li>
 *   <li>a change committed before marker N's row precedes marker N, one committed after follows it;</li>
 *   <li>snapshot reads (rank -1) precede every marker;</li>
 *   <li>value and {@code tidemark.marker.*} headers agree.</li>
 * </ul>
 */
final class MarkerTimeline {

    static final String MARKER_SCHEMA = "io.tidemark.IterationMarker";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A record of a partition: a change event (iteration -1) or a marker. */
    record Entry(long offset, boolean marker, long iteration, boolean isFinal, long rank, String what) {
    }

    /** How the test ranks events: by the commit of their transaction in the source. */
    interface Ranking {
        /** Rank of a change event from its payload's op and source block; -1 for a snapshot read. */
        long change(String op, JsonNode source);

        /** Rank of marker {@code iteration}'s row. */
        long marker(long iteration, String sourcePosition);
    }

    private final Map<TopicPartition, List<Entry>> partitions = new TreeMap<>(
            (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
    private final List<String> headerMismatches = new ArrayList<>();

    static MarkerTimeline of(ConsumerRecords<byte[], byte[]> records, Ranking ranking) {
        MarkerTimeline timeline = new MarkerTimeline();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            timeline.add(record, ranking);
        }
        return timeline;
    }

    private void add(ConsumerRecord<byte[], byte[]> record, Ranking ranking) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        List<Entry> entries = partitions.computeIfAbsent(tp, k -> new ArrayList<>());
        if (record.value() == null) {
            return; // a tombstone follows its delete in the same partition and carries nothing to rank
        }
        JsonNode envelope = read(record.value());
        JsonNode payload = envelope.get("payload");
        if (MARKER_SCHEMA.equals(envelope.path("schema").path("name").asText())) {
            long iteration = payload.get("iteration").asLong();
            String position = payload.get("source_position").asText();
            Header header = record.headers().lastHeader("tidemark.marker.iteration");
            String headerValue = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
            if (!Objects.equals(headerValue, Long.toString(iteration)) || record.key() != null) {
                headerMismatches.add(tp + "@" + record.offset() + ": marker " + iteration + " with header " + headerValue
                        + " and key " + (record.key() == null ? "null" : "set"));
            }
            entries.add(new Entry(record.offset(), true, iteration, payload.get("final").asBoolean(),
                    ranking.marker(iteration, position), "marker " + iteration));
        } else {
            String op = payload.get("op").asText();
            JsonNode source = payload.get("source");
            entries.add(new Entry(record.offset(), false, -1, false, ranking.change(op, source),
                    op + " of " + source.get("table").asText() + " txId " + source.get("txId").asText()));
        }
    }

    private static JsonNode read(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<TopicPartition, List<Entry>> partitions() {
        return partitions;
    }

    List<Long> markerIds(TopicPartition tp) {
        return partitions.getOrDefault(tp, List.of()).stream().filter(Entry::marker).map(Entry::iteration).toList();
    }

    long count(ToLongFunction<List<Entry>> perPartition) {
        return partitions.values().stream().mapToLong(perPartition).sum();
    }

    /**
     * Every broken promise, described; empty when the contract holds in every partition.
     *
     * @param tiesAllowed true when two transactions may share a rank (Oracle commit SCNs can): a
     *                    change with its marker's rank is then in order on either side
     */
    List<String> violations(List<Long> expectedIds, long finalId, boolean tiesAllowed) {
        List<String> violations = new ArrayList<>(headerMismatches);
        for (Map.Entry<TopicPartition, List<Entry>> partition : partitions.entrySet()) {
            TopicPartition tp = partition.getKey();
            List<Entry> entries = partition.getValue();
            List<Long> ids = markerIds(tp);
            if (!ids.equals(expectedIds)) {
                violations.add(tp + ": marker ids " + ids + ", expected " + expectedIds);
            }
            entries.stream().filter(e -> e.marker() && e.isFinal() != (e.iteration() == finalId))
                    .forEach(e -> violations.add(tp + "@" + e.offset() + ": " + e.what() + " has final=" + e.isFinal()));

            // Forwards: a change after a marker was committed after it. Backwards: a change before a marker was committed before it.
            Entry lastMarker = null;
            for (Entry e : entries) {
                if (e.marker()) {
                    lastMarker = e;
                } else if (lastMarker != null && (e.rank() < lastMarker.rank() || !tiesAllowed && e.rank() == lastMarker.rank())) {
                    violations.add(tp + "@" + e.offset() + ": " + e.what() + " (rank " + e.rank() + ") follows "
                            + lastMarker.what() + " (rank " + lastMarker.rank() + ") but was committed before it: marker emitted early");
                }
            }
            Entry nextMarker = null;
            for (int i = entries.size() - 1; i >= 0; i--) {
                Entry e = entries.get(i);
                if (e.marker()) {
                    nextMarker = e;
                } else if (nextMarker != null && (e.rank() > nextMarker.rank() || !tiesAllowed && e.rank() == nextMarker.rank())) {
                    violations.add(tp + "@" + e.offset() + ": " + e.what() + " (rank " + e.rank() + ") precedes "
                            + nextMarker.what() + " (rank " + nextMarker.rank() + ") but was committed after it: marker emitted late");
                }
            }
        }
        return violations;
    }

    /** Marker ranks by id, as seen in the first partition: for the test's own sanity checks. */
    Map<Long, Long> markerRanks() {
        Map<Long, Long> ranks = new LinkedHashMap<>();
        partitions.values().stream().findFirst().ifPresent(entries -> entries.stream().filter(Entry::marker)
                .forEach(e -> ranks.put(e.iteration(), e.rank())));
        return ranks;
    }
}
