package io.tidemark.sink.record;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * About the bytes a row's values take in the {@code COPY} text, for the batch's byte bound: text by
 * its length, bytes twice (hex), anything else (a number, a null) 8 bytes.
 *
 * <p>On the task thread for every record, so it reads only the values whose size varies, tells
 * them by the field's schema type, and allocates nothing. No cache by schema: converters may hand
 * out a new schema object per value (Avro's nested structs do), and such a cache only churned.
 */
public final class ValueSizes {

    private ValueSizes() {
    }

    /** The bytes of a struct's values (a row image or a key). */
    public static long of(Struct struct) {
        List<Field> fields = struct.schema().fields();
        long sum = 0;
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            sum += switch (f.schema().type()) {
                case STRING, BYTES, STRUCT, ARRAY -> sizeOf(struct.get(f));
                default -> 8;
            };
        }
        return sum;
    }

    private static long sizeOf(Object value) {
        if (value instanceof String s) {
            return s.length();
        }
        if (value instanceof ByteBuffer b) {
            return 2L * b.remaining();
        }
        if (value instanceof byte[] b) {
            return 2L * b.length;
        }
        if (value instanceof Struct struct) {
            return of(struct);
        }
        if (value instanceof Collection<?> items) {
            long sum = 0;
            for (Object item : items) {
                sum += sizeOf(item);
            }
            return sum;
        }
        return 8;
    }
}
