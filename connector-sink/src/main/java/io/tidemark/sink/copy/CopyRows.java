package io.tidemark.sink.copy;

import io.tidemark.sink.schema.ColumnModel;
import io.tidemark.sink.types.BinaryField;
import io.tidemark.sink.types.CopyBinaryWriter;
import io.tidemark.sink.types.CopyBuffer;
import io.tidemark.sink.types.CopyTextWriter;

/**
 * The rows of one {@code COPY} in the format its staging table chose ({@link StagingTable#binary()}):
 * text, or binary when every column has a binary form. Either way a value counts the bytes of its
 * text form, the license measure (docs/license.md), so what a row costs does not depend on the format.
 */
public sealed interface CopyRows permits CopyRows.Text, CopyRows.Binary {

    /** The buffer the rows go into, one after another. */
    CopyBuffer buffer();

    void startRow(int fields);

    void appendNull();

    /**
     * Appends a non-null value of the model's column {@code index}; returns the bytes of its text form.
     *
     * @throws io.tidemark.sink.types.BadValueException when the value cannot be represented
     */
    int appendValue(int index, ColumnModel column, Object value);

    /** The staging columns: the delete flag, the mask id and the row's position. */
    void appendStaging(boolean delete, int mask, int row);

    void endRow();

    /** Tab-separated fields, newline-ended rows, {@code \N} for null. */
    final class Text implements CopyRows {
        private final CopyTextWriter out;
        private boolean first;

        Text(CopyTextWriter out) {
            this.out = out;
        }

        @Override
        public CopyBuffer buffer() {
            return out;
        }

        @Override
        public void startRow(int fields) {
            first = true;
        }

        private void nextField() {
            if (!first) {
                out.columnSeparator();
            }
            first = false;
        }

        @Override
        public void appendNull() {
            nextField();
            out.appendNull();
        }

        @Override
        public int appendValue(int index, ColumnModel column, Object value) {
            nextField();
            int before = out.length();
            column.type().writeCopyText(value, column.schema(), out);
            return out.length() - before;
        }

        @Override
        public void appendStaging(boolean delete, int mask, int row) {
            nextField();
            out.appendBoolean(delete).columnSeparator().appendLong(mask).columnSeparator().appendLong(row);
        }

        @Override
        public void endRow() {
            out.endRow();
        }
    }

    /** A field count per row, a length word per field; each column written by its {@link BinaryField}. */
    final class Binary implements CopyRows {
        private final CopyBinaryWriter out;
        private final BinaryField[] fields;

        Binary(CopyBinaryWriter out, BinaryField[] fields) {
            this.out = out;
            this.fields = fields;
        }

        @Override
        public CopyBuffer buffer() {
            return out;
        }

        @Override
        public void startRow(int fields) {
            out.startRow(fields);
        }

        @Override
        public void appendNull() {
            out.appendNull();
        }

        @Override
        public int appendValue(int index, ColumnModel column, Object value) {
            return fields[index].write(value, out);
        }

        @Override
        public void appendStaging(boolean delete, int mask, int row) {
            out.appendBoolean(delete).appendInt4(mask).appendInt4(row);
        }

        @Override
        public void endRow() {
            // a binary row ends with its last field
        }
    }
}
