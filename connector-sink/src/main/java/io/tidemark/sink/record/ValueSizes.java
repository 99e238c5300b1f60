package io.tidemark.sink.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * About the bytes a row's values take in the {@code COPY} text, for the batch's byte bound: text by
 * its length, bytes twice (hex), anything else (a number, a null) 8 bytes.
 *
 * <p>On the task thread for every record, so it looks only at the fields whose size varies: per row
 * schema (by identity: a converter hands out one schema object per version) it keeps which fields
 * those are, and what the fixed ones add up to.
 */
public final class ValueSizes {

    /** Beyond this many schemas the plans are dropped and made again: a bound, not a cache policy. */
    private static final int MAX_PLANS = 1024;

    /** @param fixedBytes 8 per field of a fixed size; {@code variable} the fields to look at */
    private record Plan(long fixedBytes, Field[] variable) {
    }

    private final Map<Schema, Plan> plans = new IdentityHashMap<>();

    /** The bytes of a struct's values (a row image or a key). */
    public long of(Struct struct) {
        Plan plan = plan(struct.schema());
        long sum = plan.fixedBytes;
        for (Field f : plan.variable) {
            sum += sizeOf(struct.get(f));
        }
        return sum;
    }

    private long sizeOf(Object value) {
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

    private Plan plan(Schema schema) {
        Plan plan = plans.get(schema);
        if (plan == null) {
            if (plans.size() >= MAX_PLANS) {
                plans.clear();
            }
            long fixed = 0;
            List<Field> variable = new ArrayList<>();
            for (Field f : schema.fields()) {
                switch (f.schema().type()) {
                    case STRING, BYTES, STRUCT, ARRAY -> variable.add(f);
                    default -> fixed += 8;
                }
            }
            plan = new Plan(fixed, variable.toArray(new Field[0]));
            plans.put(schema, plan);
        }
        return plan;
    }
}
