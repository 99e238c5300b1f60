package io.tidemark.sink.batch;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;

import io.tidemark.sink.record.ChangeEvent;
import io.tidemark.sink.schema.TableModel;

/**
 * A run of one table's changes that share a record schema, collapsed to the last change per key.
 * A table's changes in a batch form several segments only when its schema changed mid-batch or a
 * truncate came; segments are applied in order, each set-based.
 *
 * <p>Collapsing merges row images, never replaces them: a value a later change did not carry (the
 * unavailable-value placeholder) is taken from the key's earlier image in the segment, or, for the
 * new key of a primary-key change, from the old key's.
 */
public final class Segment {

    private TableModel model;
    private final boolean truncateFirst;
    private final Map<RowKey, ChangeEvent> lastChangeByKey = new HashMap<>();
    private boolean onlyInserts = true;

    Segment(TableModel model, boolean truncateFirst) {
        this.model = model;
        this.truncateFirst = truncateFirst;
    }

    public TableModel model() {
        return model;
    }

    /** A key-only segment (deletes seen through tombstones) takes the full model of the first row. */
    void upgrade(TableModel fullModel) {
        this.model = fullModel;
    }

    public boolean truncateFirst() {
        return truncateFirst;
    }

    void add(ChangeEvent change, UnavailableValues unavailable) {
        RowKey key = RowKey.of(change.key());
        ChangeEvent earlier = lastChangeByKey.get(key);
        boolean delete = change.kind() == ChangeEvent.Kind.DELETE;
        if (delete && earlier != null && earlier.kind() == ChangeEvent.Kind.DELETE && earlier.otherKey() != null) {
            return; // the tombstone after a key change's delete: the delete, which moves the row, stands
        }
        Struct earlierImage = earlier == null || earlier.kind() == ChangeEvent.Kind.DELETE ? null : earlier.row();
        if (!delete) {
            if (change.otherKey() == null && earlierImage != null && earlier.otherKey() != null) {
                change = change.movedWith(earlier.otherKey()); // still the row moved in this batch
            }
            Struct base = change.otherKey() != null ? moveOrigin(change) : earlierImage;
            if (base != null) {
                change = change.withRow(unavailable.carry(base, change.row()));
            }
            // A row still missing a value needs the target's row: never the plain COPY into the target.
            onlyInserts &= change.kind() == ChangeEvent.Kind.INSERT
                    && !unavailable.anyIn(change.row(), model.mayBeUnavailable());
        } else {
            onlyInserts = false;
            if (earlierImage != null && change.otherKey() != null) {
                // The row moves with the image: into the target's row at the new key, or a FULL stage's delete.
                change = change.withRow(earlierImage);
            }
        }
        lastChangeByKey.put(key, change);
    }

    /**
     * The key's row came here by a move still missing values (its old key is not in this segment),
     * and this delete ends the row here or moves it on. Collapsing the two would keep the delete
     * alone: a plain delete, applied before the old key's task has applied the move, would let the
     * move bring the row back; a delete that moves it on would lack those values, with no trace of
     * the key they are to come from. The delete starts a new segment instead, applied after the
     * create has been filled (the create waits for its move until it is seen).
     */
    boolean wouldLoseAMove(ChangeEvent change, UnavailableValues unavailable) {
        if (change.kind() != ChangeEvent.Kind.DELETE || model == null) {
            return false;
        }
        ChangeEvent earlier = lastChangeByKey.get(RowKey.of(change.key()));
        return earlier != null && earlier.kind() != ChangeEvent.Kind.DELETE && earlier.otherKey() != null
                && unavailable.anyIn(earlier.row(), model.mayBeUnavailable());
    }

    /**
     * What a key change's new key takes its missing values from in this segment: the image of the
     * old key's delete that moved the row here, once that delete is in the segment. An earlier image
     * of the old key is not enough: the old key's partition may hold changes after it, still to
     * come, that the row had when it moved (then the move itself, applied first, brings the values).
     */
    private Struct moveOrigin(ChangeEvent create) {
        ChangeEvent origin = lastChangeByKey.get(RowKey.of(create.otherKey()));
        if (origin == null || origin.kind() != ChangeEvent.Kind.DELETE || origin.otherKey() == null
                || !RowKey.of(origin.otherKey()).equals(RowKey.of(create.key()))) {
            return null;
        }
        return origin.row(); // the image the delete moves (null: the segment had none; the target's row moves)
    }

    /** Every change is an insert of a row the source says is new (snapshot reads, inserts). */
    public boolean onlyInserts() {
        return onlyInserts && !lastChangeByKey.isEmpty();
    }

    public Collection<ChangeEvent> changes() {
        return lastChangeByKey.values();
    }

    int size() {
        return lastChangeByKey.size();
    }

    boolean isEmpty() {
        return lastChangeByKey.isEmpty() && !truncateFirst;
    }
}
