package io.tidemark.sink.types;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;

/**
 * The registry of {@link ColumnType}s: resolves a field's schema to the type that handles it, by
 * its logical name first (Debezium's and Connect's semantic types) and by its Connect type
 * otherwise.
 */
public final class ColumnTypes {

    private final Map<String, ColumnType> byKey = new HashMap<>();

    public ColumnTypes(List<ColumnType> types) {
        for (ColumnType type : types) {
            for (String key : type.registrationKeys()) {
                ColumnType previous = byKey.put(key, type);
                if (previous != null) {
                    throw new IllegalStateException(key + " is registered twice: " + previous + " and " + type);
                }
            }
        }
    }

    /** Every type Tidemark knows. */
    public static ColumnTypes standard() {
        return StandardTypes.INSTANCE;
    }

    /**
     * The type for a field's schema.
     *
     * @throws UnsupportedTypeException naming the schema when no type handles it
     */
    public ColumnType resolve(Schema schema) {
        ColumnType type = schema.name() == null ? null : byKey.get(schema.name());
        if (type == null) {
            // an unknown logical name over a primitive (io.debezium.data.Ltree, say) is written as that primitive
            type = byKey.get(schema.type().name());
        }
        if (type == null) {
            throw new UnsupportedTypeException("no PostgreSQL mapping for a field of Connect type " + schema.type()
                    + (schema.name() == null ? "" : " (" + schema.name() + ")")
                    + "; flatten or drop it with a transform before the sink");
        }
        String why = type.unsupported(schema);
        if (why != null) {
            throw new UnsupportedTypeException(why);
        }
        return type;
    }

    /** A field type the sink cannot map: a problem with the table, not with one record. */
    public static class UnsupportedTypeException extends RuntimeException {
        public UnsupportedTypeException(String message) {
            super(message);
        }
    }
}
