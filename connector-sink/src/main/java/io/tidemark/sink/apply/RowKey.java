package io.tidemark.sink.apply;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * A primary key value as the batch collapses by it. Values are normalised so that two keys equal
 * in PostgreSQL are equal here too ({@code 1.0} and {@code 1.00}, byte arrays by content): two
 * changes to one row in one {@code INSERT ... ON CONFLICT} would otherwise fail the statement.
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
            return decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
        }
        if (value instanceof Struct struct) {
            return struct.toString(); // VariableScaleDecimal and the like: equal structs print alike
        }
        return value;
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
