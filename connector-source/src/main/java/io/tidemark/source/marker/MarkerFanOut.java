package io.tidemark.source.marker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.source.marker.MarkerEventRecognizer.Boundary;
import io.tidemark.source.marker.MarkerEventRecognizer.Passthrough;
import io.tidemark.source.marker.MarkerEventRecognizer.Skip;

/**
 * Replaces each marker row's change event, in place, by one marker record for every partition of
 * every captured table topic. Because the records keep their order, every change the source
 * committed before the marker row precedes the marker in each partition, and every later one
 * follows it.
 *
 * <p>The marker records carry the marker row event's source partition and offset: once they are
 * written, the connector's position is past the marker row, exactly as if the event itself had
 * been written.
 */
public final class MarkerFanOut {

    private static final Logger LOG = LoggerFactory.getLogger(MarkerFanOut.class);

    private final MarkerEventRecognizer recognizer;
    private final Supplier<Collection<String>> tableTopics;
    private final TopicPartitions partitions;
    private long lastIteration = -1;

    /**
     * @param tableTopics the topics of the captured tables now (not the marker table's, not
     *                    heartbeat, transaction or schema-change topics)
     */
    public MarkerFanOut(MarkerEventRecognizer recognizer, Supplier<Collection<String>> tableTopics, TopicPartitions partitions) {
        this.recognizer = recognizer;
        this.tableTopics = tableTopics;
        this.partitions = partitions;
    }

    public List<SourceRecord> process(List<SourceRecord> records) {
        if (records == null || records.isEmpty()) {
            return records;
        }
        List<SourceRecord> out = null; // stays null, and the batch is returned as is, while no marker-table event shows up
        for (int i = 0; i < records.size(); i++) {
            SourceRecord record = records.get(i);
            MarkerEventRecognizer.Result result = recognizer.classify(record);
            if (result instanceof Passthrough) {
                if (out != null) {
                    out.add(record);
                }
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(records.subList(0, i));
            }
            if (result instanceof Skip skip) {
                LOG.debug("Dropping a marker table event: {}", skip.why());
            } else if (result instanceof Boundary boundary) {
                out.addAll(markerRecords(record, boundary.marker()));
            }
        }
        return out == null ? records : out;
    }

    private List<SourceRecord> markerRecords(SourceRecord event, IterationMarker marker) {
        // Ids come from a sequence in commit order; a smaller or equal one is a replay of a marker already emitted.
        if (marker.iteration() <= lastIteration) {
            LOG.warn("Dropping marker {}: marker {} was emitted already", marker.iteration(), lastIteration);
            return List.of();
        }
        Map<String, Integer> counts = partitions.partitionCounts(new TreeSet<>(tableTopics.get()));
        List<SourceRecord> records = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(topic -> {
            // Each record says how many partitions of its topic got the marker: the sink waits for them all.
            IterationMarker inTopic = marker.withPartitionCount(topic.getValue());
            for (int partition = 0; partition < topic.getValue(); partition++) {
                records.add(new SourceRecord(event.sourcePartition(), event.sourceOffset(), topic.getKey(), partition,
                        null, null, IterationMarker.VALUE_SCHEMA, inTopic.toStruct(), marker.createdTsMs(),
                        inTopic.addTo(new ConnectHeaders())));
            }
        });
        lastIteration = marker.iteration();
        LOG.info("Iteration {} closed at {}{}: marker into {} partitions of {} table topics", marker.iteration(),
                marker.sourcePosition(), marker.isFinal() ? " (final)" : "", records.size(), counts.size());
        return records;
    }
}
