package io.tidemark.control.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.tidemark.control.project.DatabaseSettings;

/** The bulk load's sessions: long statements, no socket timeout (a chunk's COPY may rightly run for minutes). */
final class LoadSessions {

    private LoadSessions() {
    }

    /** A source session in a read-only REPEATABLE READ transaction, not yet started. */
    static Connection source(DatabaseSettings db) throws SQLException {
        Connection c = db.connectUnbounded();
        try {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            settings(c, "SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0");
            c.commit();
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * A target session: each {@code COPY} commits on its own, without waiting for its WAL to be
     * flushed (a crash loses only chunks the load then copies again: an unfinished load is
     * emptied and started over, {@link TargetTables}).
     */
    static Connection target(DatabaseSettings db) throws SQLException {
        Connection c = db.connectUnbounded();
        try {
            settings(c, "SET statement_timeout = 0; SET synchronous_commit = off");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** @return the exported snapshot's name and the WAL position at that moment */
    static String[] exportSnapshot(Connection source) throws SQLException {
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_export_snapshot(), pg_current_wal_lsn()::text")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    static void importSnapshot(Connection source, String snapshot) throws SQLException {
        try (Statement st = source.createStatement()) {
            st.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
        }
    }

    private static void settings(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
