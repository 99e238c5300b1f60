package io.tidemark.sink.flush;

import java.sql.SQLException;

import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.naming.SourceTable;

/**
 * A database error while one table was applied (a lock wait that timed out, a lost connection):
 * the flush failed, and this says which table it was working on, so the table's status can say why
 * it is being retried. Keeps the cause's SQLSTATE.
 */
public final class TableSqlException extends SQLException {

    private final transient SourceTable table;

    TableSqlException(SourceTable table, SQLException cause) {
        super("table " + table + ": " + SqlErrors.message(cause), cause.getSQLState(), cause.getErrorCode(), cause);
        this.table = table;
    }

    public SourceTable table() {
        return table;
    }
}
