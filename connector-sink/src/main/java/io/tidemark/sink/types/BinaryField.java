package io.tidemark.sink.types;

/**
 * Writes one non-null value of a column in {@code COPY} binary form (its length word and bytes),
 * chosen once per column by {@link ColumnType#binaryField} for the column's PostgreSQL type.
 */
@FunctionalInterface
public interface BinaryField {

    /**
     * Writes the value and returns the number of bytes its {@code COPY} text form has
     * ({@link ColumnType#writeCopyText}, escapes included): the license measure, which stays the
     * text form's whichever form is sent (docs/license.md).
     *
     * @throws BadValueException when the value cannot be represented, as the text form would
     */
    int write(Object value, CopyBinaryWriter out);
}
