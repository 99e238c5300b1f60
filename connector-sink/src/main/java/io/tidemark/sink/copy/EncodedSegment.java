package io.tidemark.sink.copy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import io.tidemark.sink.record.ChangeEvent;
import io.tidemark.sink.types.CopyBuffer;

/**
 * A segment's rows in {@code COPY} text or binary form, one after another in a shared buffer, with where each
 * row starts (so a range of rows can be sent again when the error path bisects), which rows are
 * deletes, and which columns each row could not give (LOB placeholders).
 */
public final class EncodedSegment {

    /** The buffer the rows are in (until the next segment is encoded into it). */
    final CopyBuffer buffer;
    /** Rows in buffer order. */
    public final List<ChangeEvent> rows = new ArrayList<>();
    /** Byte offset of each row in the buffer, plus the end: rowStart[i]..rowStart[i+1]. */
    int[] rowStart = new int[16];
    /** The license measure of each row: bytes of its values (a delete: of its key). */
    long[] rowValueBytes = new long[16];
    public boolean[] rowIsDelete = new boolean[16];
    int[] rowMask = new int[16];
    /** Column positions (in the model) a mask id leaves untouched; id 0 leaves none. */
    public final List<BitSet> masks = new ArrayList<>(List.of(new BitSet()));

    int upserts;
    int deletes;
    /** Upserts that lack a value (a mask other than 0). */
    int maskedUpserts;

    EncodedSegment(CopyBuffer buffer) {
        this.buffer = buffer;
    }

    public int size() {
        return rows.size();
    }

    void add(ChangeEvent change, int start, int end, long valueBytes, boolean delete, int mask) {
        int i = rows.size();
        if (i + 1 >= rowStart.length) {
            int n = rowStart.length * 2;
            rowStart = java.util.Arrays.copyOf(rowStart, n);
            rowValueBytes = java.util.Arrays.copyOf(rowValueBytes, n);
            rowIsDelete = java.util.Arrays.copyOf(rowIsDelete, n);
            rowMask = java.util.Arrays.copyOf(rowMask, n);
        }
        rows.add(change);
        rowStart[i] = start;
        rowStart[i + 1] = end;
        rowValueBytes[i] = valueBytes;
        rowIsDelete[i] = delete;
        rowMask[i] = mask;
        if (delete) {
            deletes++;
        } else {
            upserts++;
            maskedUpserts += mask == 0 ? 0 : 1;
        }
    }

    int maskId(BitSet unavailable) {
        int id = masks.indexOf(unavailable);
        if (id < 0) {
            masks.add(unavailable);
            id = masks.size() - 1;
        }
        return id;
    }

    /** True when an upsert among rows {@code from..to} has this mask (deletes without an image have one of their own). */
    boolean upsertsWith(int mask, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!rowIsDelete[i] && rowMask[i] == mask) {
                return true;
            }
        }
        return false;
    }

    public long valueBytes(int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += rowValueBytes[i];
        }
        return sum;
    }

    int deletes(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (rowIsDelete[i]) {
                n++;
            }
        }
        return n;
    }
}
