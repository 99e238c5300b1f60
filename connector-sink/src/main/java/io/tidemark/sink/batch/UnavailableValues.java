package io.tidemark.sink.batch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Debezium's unavailable-value placeholder: what a change carries instead of a value the source
 * could not read (an unchanged TOASTed PostgreSQL value, an Oracle LOB an update did not touch).
 * Row images are merged, never replaced: a later image's placeholders take the earlier image's
 * values, so a batch collapsed to the last change per key keeps what an earlier change carried.
 */
public final class UnavailableValues {

    private final String placeholder;
    private final byte[] placeholderBytes;

    public UnavailableValues(String placeholder) {
        this.placeholder = placeholder;
        this.placeholderBytes = placeholder.getBytes(StandardCharsets.UTF_8);
    }

    /** True for the placeholder as text, or as bytes (byte[] from JSON, ByteBuffer from Avro). */
    public boolean isPlaceholder(Object value) {
        if (value instanceof String s) {
            return s.length() == placeholder.length() && s.equals(placeholder);
        }
        if (value instanceof byte[] bytes) {
            return bytes.length == placeholderBytes.length && Arrays.equals(bytes, placeholderBytes);
        }
        if (value instanceof ByteBuffer buffer) {
            return buffer.remaining() == placeholderBytes.length && buffer.equals(ByteBuffer.wrap(placeholderBytes));
        }
        return false;
    }

    /**
     * True when one of {@code fields} (the columns that can carry it: text and bytes) holds the
     * placeholder in the image.
     */
    boolean anyIn(Struct row, List<Field> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (isPlaceholder(row.get(fields.get(i)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The later image with each placeholder replaced by the earlier image's value of that column,
     * where the earlier image had one; the later image itself when there is nothing to carry.
     */
    Struct carry(Struct earlier, Struct later) {
        Struct merged = null;
        for (Field f : later.schema().fields()) {
            if (!isPlaceholder(later.get(f))) {
                continue;
            }
            Field before = earlier.schema().field(f.name());
            Object value = before == null ? null : earlier.get(before);
            if (before == null || isPlaceholder(value)) {
                continue;
            }
            try {
                merged = merged == null ? copy(later) : merged;
                merged.put(f, value);
            } catch (DataException e) {
                // the column changed type between the images: the value cannot be carried
            }
        }
        return merged == null ? later : merged;
    }

    private static Struct copy(Struct row) {
        Struct copy = new Struct(row.schema());
        for (Field f : row.schema().fields()) {
            copy.put(f, row.get(f));
        }
        return copy;
    }
}
