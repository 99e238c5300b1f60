package io.tidemark.sink.types;

/**
 * Writes one non-null value of a column in {@code COPY} binary form (its length word and bytes),
 * chosen once per column by {@link ColumnType#binaryField} for the column's PostgreSQL type.
 */
@FunctionalInterface
public interface BinaryField {

    /**
     * @throws BadValueException when the value cannot be represented, as the text form would
     */
    void write(Object value, CopyBinaryWriter out);
}
