package io.tidemark.sink.errors;

import java.sql.SQLException;
import java.sql.SQLTransientException;

/** What a PostgreSQL error means for the sink, by its SQLSTATE. */
public final class SqlErrors {

    private SqlErrors() {
    }

    /**
     * Errors that pass: the connection broke, the server is shutting down or starting, a
     * serialization failure or deadlock, no connection slot free. The flush is retried.
     */
    public static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
                        || state.startsWith("57P") || state.equals("53300") || state.equals("55P03")
                        || state.equals("57014"))) {
                    return true;
                }
                if (sql instanceof SQLTransientException) {
                    return true;
                }
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Errors caused by a row's values: a value that does not fit its column (class 22) or breaks
     * a constraint (class 23). The error path looks for the offending rows.
     */
    public static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** A key that exists already (23505), in this statement's view or once a concurrent transaction committed. */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** The message with its SQLSTATE, e.g. {@code value too long for type character varying(5) [22001]}. */
    public static String describe(SQLException e) {
        return message(e) + (e.getSQLState() == null ? "" : " [" + e.getSQLState() + "]");
    }

    /** The first line of the message, without PostgreSQL's "ERROR: " and without the SQLSTATE. */
    public static String message(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.startsWith("ERROR: ")) {
            message = message.substring(7);
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The connection itself failed (class 08, or an I/O error): the server may not have answered at all. */
    public static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** A lock wait ended by {@code lock_timeout}. */
    public static boolean isLockTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
