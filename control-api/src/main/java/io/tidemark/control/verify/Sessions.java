package io.tidemark.control.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.tidemark.control.project.DatabaseSettings;

/** A verification's connection, with the session settings the canonical forms rely on, whatever the server's defaults. */
final class Sessions {

    private Sessions() {
    }

    static Connection open(DatabaseSettings db) throws SQLException {
        Connection c = db.connect();
        try (Statement st = c.createStatement()) {
            if (db.isOracle()) {
                st.execute("ALTER SESSION SET NLS_COMP = BINARY NLS_SORT = BINARY TIME_ZONE = 'UTC'");
            } else {
                st.execute("SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC';"
                        + " SET extra_float_digits = 1; SET statement_timeout = 0");
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
