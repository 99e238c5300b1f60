package io.tidemark.sink.batch;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

import io.tidemark.sink.types.BadValueException;
import io.tidemark.sink.types.debezium.VariableScaleDecimalType;

/**
 * A primary key value as the batch collapses by it. Values are normalised so that two keys equal
 * in PostgreSQL are equal here too ({@code 1.0} and {@code 1.00}, byte arrays by content): two
 * changes to one row in one {@code INSERT ... ON CONFLICT} would otherwise fail the statement.
 * Bytes arrive as {@code byte[]} (JSON) or {@code ByteBuffer} (Avro) and compare by content either way.
 */
final class RowKey {

    private final Object[] values;
    private final int hash;

    private RowKey(Object[] values) {
        this.values = values;
        this.hash = Arrays.hashCode(values);
    }

    static RowKey of(Struct key) {
        List<Field> fields = key.schema().fields();
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = normalise(key.get(fields.get(i)));
        }
        return new RowKey(values);
    }

    private static Object normalise(Object value) {
        if (value instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        if (value instanceof BigDecimal decimal) {
            return numeric(decimal);
        }
        if (value instanceof Struct struct) {
            // Not struct.toString(): it prints a byte[] by identity and a ByteBuffer by its position
            // and length only, so equal keys differed and, from Avro, different keys were one.
            if (VariableScaleDecimalType.LOGICAL_NAME.equals(struct.schema().name())) {
                try {
                    return numeric(VariableScaleDecimalType.decimal(struct)); // Oracle NUMBER keys
                } catch (BadValueException e) {
                    // malformed: compared field by field below; writing it will report it
                }
            }
            List<Object> fields = new ArrayList<>();
            for (Field f : struct.schema().fields()) {
                fields.add(normalise(struct.get(f)));
            }
            return fields;
        }
        return value;
    }

    private static BigDecimal numeric(BigDecimal decimal) {
        return decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowKey other && hash == other.hash && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
