package io.tidemark.sink.flush;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The task's control connection, apart from the flushes' (so that the applier thread's flushes go
 * on meanwhile): the lifecycle reads and writes desired states, statuses and aborts on it, from
 * the task's thread only. Opened on first use, abandoned after any failure, opened again next time.
 */
public final class ControlConnection {

    private final ConnectionFactory connections;
    private Connection connection;

    public ControlConnection(ConnectionFactory connections) {
        this.connections = connections;
    }

    public Connection get() throws SQLException {
        if (connection == null) {
            connection = connections.open();
        }
        return connection;
    }

    /** After a failure: roll back what can be, and start over with a new connection next time. */
    public void rollbackAndAbandon() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // abandoned below
            }
        }
        close();
    }

    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // gone already
            }
            connection = null;
        }
    }
}
