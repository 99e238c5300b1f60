package io.tidemark.sink.types;

import java.util.List;

import org.apache.kafka.connect.data.Schema;

/**
 * One kind of value as it arrives from Kafka Connect (a Connect primitive, a Connect logical type
 * or a Debezium semantic type) and how it lands in PostgreSQL: the column type to create, which
 * existing column types hold it without loss, and how a value is written in {@code COPY} text
 * format.
 *
 * <p>Implementations are stateless singletons, registered in {@link ColumnTypes} under their
 * {@link #registrationKeys()}. Adding a type means adding one small class.
 */
public interface ColumnType {

    /**
     * What this type is registered under: logical schema names (for example
     * {@code io.debezium.time.ZonedTimestamp}, {@code org.apache.kafka.connect.data.Decimal}) or,
     * for plain Connect values, a {@link Schema.Type} name ({@code INT32}, {@code STRING}).
     */
    List<String> registrationKeys();

    /**
     * The PostgreSQL type to create for a field of this schema, e.g. {@code numeric(10,2)} or
     * {@code timestamp(6)}. The source column (from Debezium's {@code column.propagate.source.type})
     * refines it where the Connect schema alone loses detail, e.g. {@code VARCHAR2(40)} becomes
     * {@code varchar(40)} rather than {@code text}.
     */
    String sqlType(Schema schema, SourceColumn source);

    /**
     * Whether an existing column of type {@code target} holds every value of this field without
     * loss. Returns null when it does, otherwise the reason in words an operator can act on,
     * e.g. {@code "varchar(10) is shorter than the source's VARCHAR2(40)"}.
     */
    String incompatibility(PgColumnType target, Schema schema, SourceColumn source);

    /**
     * Appends one non-null value in {@code COPY ... (FORMAT text)} form, escaping included.
     *
     * @throws BadValueException when the value cannot be represented (a NUL character in text, a
     *                           malformed timestamp string); the record then goes to its table's
     *                           error policy
     */
    void writeCopyText(Object value, Schema schema, CopyTextWriter out);

    /**
     * How a value is written in {@code COPY ... (FORMAT binary)} form into a column of PostgreSQL type
     * {@code target}, or null when this type writes such a column only as text (the whole {@code COPY}
     * then stays text). Binary must read back exactly what the text form reads back.
     */
    default BinaryField binaryField(Schema schema, PgColumnType target) {
        return null;
    }

    /**
     * Why this type cannot handle a schema that resolved to it (an array of structs, say), or null
     * when it can. {@link ColumnTypes#resolve} turns a reason into an
     * {@link ColumnTypes.UnsupportedTypeException}.
     */
    default String unsupported(Schema schema) {
        return null;
    }
}
