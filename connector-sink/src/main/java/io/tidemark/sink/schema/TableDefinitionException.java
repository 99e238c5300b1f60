package io.tidemark.sink.schema;

/**
 * A problem with a whole table rather than one record: no primary key, a missing column, a column
 * type that cannot hold the source's values, an unmappable field. The table stops (ERROR_ABORTED)
 * with this message as its reason; its records wait in Kafka until it is fixed.
 */
public class TableDefinitionException extends RuntimeException {

    public TableDefinitionException(String message) {
        super(message);
    }

    public TableDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
