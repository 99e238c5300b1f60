package io.tidemark.source.marker;

import static io.tidemark.source.marker.MarkerColumns.CREATED_TS_MS;
import static io.tidemark.source.marker.MarkerColumns.ITERATION;
import static io.tidemark.source.marker.MarkerColumns.IS_FINAL;
import static io.tidemark.source.marker.MarkerColumns.STREAM_NAME;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;

import io.tidemark.common.marker.IterationMarker;

/**
 * Tells the change events of the marker table from all others, and reads the marker from an
 * inserted marker row. Only inserts by this stream's writer are boundaries: snapshot reads of old
 * rows, updates, deletes, tombstones and rows of another connector sharing the table are skipped.
 */
public final class MarkerEventRecognizer {

    /** What a change event is to the marker logic. */
    public sealed interface Result permits Passthrough, Skip, Boundary {
    }

    /** Not a marker-table event: passes through unchanged. */
    public record Passthrough() implements Result {
    }

    /** A marker-table event that is no boundary: dropped. */
    public record Skip(String why) implements Result {
    }

    /** A marker row written by this stream: becomes marker records. */
    public record Boundary(IterationMarker marker) implements Result {
    }

    private static final Passthrough PASSTHROUGH = new Passthrough();

    private final MarkerTables tables;
    private final MarkerDialect dialect;
    private final String streamName;
    // Topics that carried marker-table events; a tombstone (no value) is recognised by its topic alone.
    private final Set<String> markerTopics = new HashSet<>();

    public MarkerEventRecognizer(MarkerTables tables, MarkerDialect dialect, String streamName) {
        this.tables = tables;
        this.dialect = dialect;
        this.streamName = streamName;
    }

    public Result classify(SourceRecord record) {
        if (!(record.value() instanceof Struct value)) {
            return record.value() == null && markerTopics.contains(record.topic())
                    ? new Skip("tombstone of a deleted marker row") : PASSTHROUGH;
        }
        Struct source = structField(value, "source");
        if (source == null || !isEnvelope(value)
                || !tables.isMarkerTable(stringField(source, "schema"), stringField(source, "table"))) {
            return PASSTHROUGH;
        }
        markerTopics.add(record.topic());
        String op = stringField(value, "op");
        if (!"c".equals(op)) {
            return new Skip("marker table event with op " + op + " (only inserted rows are boundaries)");
        }
        Struct after = structField(value, "after");
        if (after == null) {
            return new Skip("marker row insert without an after image");
        }
        String stream = String.valueOf(column(after, STREAM_NAME));
        if (!streamName.equals(stream)) {
            return new Skip("marker row of stream " + stream + ", not " + streamName);
        }
        return new Boundary(new IterationMarker(
                asLong(column(after, ITERATION), ITERATION),
                dialect.sourcePosition(source),
                asLong(column(after, CREATED_TS_MS), CREATED_TS_MS),
                asBoolean(column(after, IS_FINAL))));
    }

    private static boolean isEnvelope(Struct value) {
        return value.schema().field("op") != null && value.schema().field("after") != null;
    }

    private static Struct structField(Struct struct, String name) {
        Field field = struct.schema().field(name);
        return field == null ? null : struct.getStruct(name);
    }

    private static String stringField(Struct struct, String name) {
        Field field = struct.schema().field(name);
        Object value = field == null ? null : struct.get(field);
        return value == null ? null : value.toString();
    }

    // Column names are folded differently by each database; Debezium keeps them as stored.
    private Object column(Struct row, String name) {
        for (Field field : row.schema().fields()) {
            if (field.name().equalsIgnoreCase(name)) {
                return row.get(field);
            }
        }
        throw new ConnectException("A change event of " + tables.qualifiedMarkerTable() + " lacks column " + name
                + ": column.include.list / column.exclude.list must not filter the marker table's columns");
    }

    private long asLong(Object value, String column) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text) {
            return new BigDecimal(text.trim()).longValueExact();
        }
        throw new ConnectException("Column " + column + " of " + tables.qualifiedMarkerTable()
                + " arrived as " + (value == null ? "null" : value.getClass().getName()) + ", expected a number");
    }

    /**
     * PostgreSQL has a boolean column; Oracle a NUMBER(1), which Debezium emits as a small integer
     * (decimal.handling.mode=precise), a double or text ("1") under the other decimal modes.
     */
    private boolean asBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof String text) {
            String t = text.trim();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(t);
            }
            try {
                return new BigDecimal(t).signum() != 0;
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new ConnectException("Column " + IS_FINAL + " of " + tables.qualifiedMarkerTable() + " arrived as "
                + (value == null ? "null" : value.getClass().getName() + " " + value) + ", expected a boolean or a number");
    }
}
