package io.tidemark.sink.apply;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import io.tidemark.sink.record.ChangeEvent;
import io.tidemark.sink.schema.TableModel;

/**
 * A run of one table's changes that share a record schema, collapsed to the last change per key.
 * A table's changes in a batch form several segments only when its schema changed mid-batch or a
 * truncate came; segments are applied in order, each set-based.
 */
final class Segment {

    private TableModel model;
    private final boolean truncateFirst;
    private final Map<RowKey, ChangeEvent> lastChangeByKey = new HashMap<>();
    private boolean onlyInserts = true;

    Segment(TableModel model, boolean truncateFirst) {
        this.model = model;
        this.truncateFirst = truncateFirst;
    }

    TableModel model() {
        return model;
    }

    /** A key-only segment (deletes seen through tombstones) takes the full model of the first row. */
    void upgrade(TableModel fullModel) {
        this.model = fullModel;
    }

    boolean truncateFirst() {
        return truncateFirst;
    }

    void add(ChangeEvent change) {
        lastChangeByKey.put(RowKey.of(change.key()), change);
        onlyInserts &= change.kind() == ChangeEvent.Kind.INSERT;
    }

    /** Every change is an insert of a row the source says is new (snapshot reads, inserts). */
    boolean onlyInserts() {
        return onlyInserts && !lastChangeByKey.isEmpty();
    }

    Collection<ChangeEvent> changes() {
        return lastChangeByKey.values();
    }

    int size() {
        return lastChangeByKey.size();
    }

    boolean isEmpty() {
        return lastChangeByKey.isEmpty() && !truncateFirst;
    }
}
