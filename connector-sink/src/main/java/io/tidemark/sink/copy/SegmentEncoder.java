package io.tidemark.sink.copy;

import java.util.BitSet;
import java.util.List;

import org.apache.kafka.connect.data.Struct;

import io.tidemark.sink.batch.Segment;
import io.tidemark.sink.batch.UnavailableValues;
import io.tidemark.sink.record.ChangeEvent;
import io.tidemark.sink.schema.ColumnModel;
import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.CopyBuffer;

/**
 * Writes a segment's collapsed changes as staging rows of a {@code COPY}, text or binary as the
 * staging table chose ({@link CopyRows}): the model's columns, then the delete flag, the mask id,
 * the row's position and the other key of a primary-key change. A delete writes its key and nulls.
 * A value equal to Debezium's unavailable-value placeholder is written as null and its column
 * recorded in the row's mask, so that the merge leaves the stored value alone. Each row's license
 * measure is the bytes of its values' text form, in either format.
 */
public final class SegmentEncoder {

    /** A row that could not be encoded, with the reason. */
    public interface BadRowHandler {
        void badRow(ChangeEvent change, String reason);
    }

    /** Told after each complete row, e.g. to send what is encoded so far. */
    interface RowsReady {
        void rowsReady(CopyBuffer out);
    }

    private final UnavailableValues unavailableValues;

    public SegmentEncoder(UnavailableValues unavailableValues) {
        this.unavailableValues = unavailableValues;
    }

    /**
     * Encodes a segment's rows into {@code rows}, telling {@code ready} after each row.
     *
     * @param staged true for staging rows (with the delete flag and mask id), false for rows that go
     *               straight into the target table (a segment of inserts only)
     */
    public EncodedSegment encode(Segment segment, CopyRows rows, BadRowHandler onBadRow, RowsReady ready, boolean staged) {
        List<ColumnModel> columns = segment.model().columns();
        List<ColumnModel> keyColumns = segment.model().keyColumns();
        int fields = columns.size() + (staged ? 3 + keyColumns.size() : 0);
        int[] keyIndex = keyColumns.stream().mapToInt(columns::indexOf).toArray();
        CopyBuffer out = rows.buffer();
        EncodedSegment encoded = new EncodedSegment(out);
        BitSet unavailable = new BitSet();
        for (ChangeEvent change : segment.changes()) {
            int start = out.mark();
            boolean delete = change.kind() == ChangeEvent.Kind.DELETE;
            unavailable.clear();
            long valueBytes = 0;
            try {
                rows.startRow(fields);
                // A delete writes its key; one that moves the row also the image it moves (for a FULL stage).
                Struct image = change.row();
                for (int i = 0; i < columns.size(); i++) {
                    ColumnModel column = columns.get(i);
                    Object value;
                    if (delete && (column.key() || image == null)) {
                        value = column.key() ? change.key().get(column.field().name()) : null;
                        if (!column.key()) {
                            unavailable.set(i); // a delete without an image knows none of its values
                        }
                    } else {
                        value = image.get(column.field());
                    }
                    if (value == null) {
                        rows.appendNull();
                    } else if (column.mayBeUnavailable() && unavailableValues.isPlaceholder(value)) {
                        unavailable.set(i);
                        rows.appendNull();
                    } else {
                        int bytes = write(rows, i, column, value);
                        valueBytes += delete && !column.key() ? 0 : bytes;
                    }
                }
                if (staged) {
                    int mask = unavailable.isEmpty() ? 0 : encoded.maskId((BitSet) unavailable.clone());
                    rows.appendStaging(delete, mask, encoded.size());
                    writeOtherKey(keyColumns, keyIndex, change.otherKey(), rows);
                }
            } catch (BadValueException | org.apache.kafka.connect.errors.DataException e) {
                out.rewind(start);
                onBadRow.badRow(change, e.getMessage());
                continue;
            }
            int mask = unavailable.isEmpty() ? 0 : encoded.maskId((BitSet) unavailable.clone());
            rows.endRow();
            encoded.add(change, start, out.length(), valueBytes, delete, mask);
            ready.rowsReady(out);
        }
        return encoded;
    }

    /** The other key of a primary-key change (the new key on the delete, the old on the upsert), or nulls. */
    private static void writeOtherKey(List<ColumnModel> keyColumns, int[] keyIndex, Struct otherKey, CopyRows rows) {
        for (int j = 0; j < keyColumns.size(); j++) {
            ColumnModel k = keyColumns.get(j);
            Object value = otherKey == null ? null : otherKey.get(k.field().name());
            if (value == null) {
                rows.appendNull();
            } else {
                write(rows, keyIndex[j], k, value);
            }
        }
    }

    /** Writes a non-null value; returns the bytes of its text form (the license measure). */
    private static int write(CopyRows rows, int index, ColumnModel column, Object value) {
        try {
            return rows.appendValue(index, column, value);
        } catch (BadValueException e) {
            throw new BadValueException("column " + column.name() + ": " + e.getMessage(), e);
        } catch (ClassCastException e) {
            throw new BadValueException("column " + column.name() + ": a " + value.getClass().getSimpleName()
                    + " value where the schema says " + column.schema().type()
                    + (column.schema().name() == null ? "" : " (" + column.schema().name() + ")"), e);
        }
    }
}
