package io.tidemark.sink.record;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.common.marker.IterationMarker;

/**
 * One change to apply, read from a record: an insert or upsert of a row, a delete of a key, a truncate of
 * the table, or an iteration marker. A primary-key change arrives as a delete of the old key and
 * an upsert of the new one, each naming the other key: the row moves, with the values the change
 * did not carry (Debezium's unavailable-value placeholder).
 *
 * @param kind   what the change does
 * @param key    the primary key (null for truncate and markers)
 * @param row    the row image to write (upserts only)
 * @param rowSchema the schema of the table's rows when the record tells it (every change but
 *               tombstones and markers)
 * @param marker the iteration marker (markers only)
 * @param record the record the change came from: its coordinates are the change's offset
 * @param otherKey for a primary-key change: on the delete the new key, on the upsert the old key
 */
public record ChangeEvent(Kind kind, Struct key, Struct row, Schema rowSchema, IterationMarker marker,
                          SinkRecord record, Struct otherKey) {

    /**
     * What a change does. An INSERT is an upsert of a row the source says is new (a snapshot read
     * or an insert): the write path may try a plain {@code COPY} into the target for a run of them,
     * falling back to the upsert when a key exists already.
     */
    public enum Kind { INSERT, UPSERT, DELETE, TRUNCATE, MARKER }

    public static ChangeEvent insert(Struct key, Struct row, SinkRecord record) {
        return new ChangeEvent(Kind.INSERT, key, row, row.schema(), null, record, null);
    }

    public static ChangeEvent upsert(Struct key, Struct row, SinkRecord record) {
        return new ChangeEvent(Kind.UPSERT, key, row, row.schema(), null, record, null);
    }

    /** @param rowSchema the row schema when the record carries one, null for a tombstone */
    public static ChangeEvent delete(Struct key, Schema rowSchema, SinkRecord record) {
        return new ChangeEvent(Kind.DELETE, key, null, rowSchema, null, record, null);
    }

    public static ChangeEvent truncate(SinkRecord record) {
        return new ChangeEvent(Kind.TRUNCATE, null, null, null, null, record, null);
    }

    /** The same change with another row image (the earlier image's values carried into it). */
    public ChangeEvent withRow(Struct merged) {
        return new ChangeEvent(kind, key, merged, rowSchema, marker, record, otherKey);
    }

    /** The same change as one side of a primary-key change: {@code other} is the key on the other side. */
    public ChangeEvent movedWith(Struct other) {
        return new ChangeEvent(kind == Kind.INSERT ? Kind.UPSERT : kind, key, row, rowSchema, marker, record, other);
    }

    public static ChangeEvent marker(IterationMarker marker, SinkRecord record) {
        return new ChangeEvent(Kind.MARKER, null, null, null, marker, record, null);
    }
}
