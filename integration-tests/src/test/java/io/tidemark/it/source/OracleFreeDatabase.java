package io.tidemark.it.source;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.testcontainers.oracle.OracleContainer;

/**
 * The Oracle Free container of {@link OracleSourceMarkerIT}, as its users reach it: the connector's
 * common user {@code c##dbzuser} (made by setup-logminer.sh, docs/oracle.md's steps) and the
 * container's application user, whose schema in FREEPDB1 holds the captured tables.
 */
final class OracleFreeDatabase {

    static final String PDB = "FREEPDB1";
    static final String CONNECTOR_USER = "c##dbzuser";
    static final String CONNECTOR_PASSWORD = "dbz";

    private final OracleContainer container;

    OracleFreeDatabase(OracleContainer container) {
        this.container = container;
    }

    String host() {
        return container.getHost();
    }

    int port() {
        return container.getOraclePort();
    }

    /** A session in the PDB as the connector's user. */
    Connection asConnectorUser() throws SQLException {
        return DriverManager.getConnection(url(), CONNECTOR_USER, CONNECTOR_PASSWORD);
    }

    /** A session in the PDB as the application user, owner of the captured schema. */
    Connection asApplication() throws SQLException {
        return DriverManager.getConnection(url(), container.getUsername(), container.getPassword());
    }

    private String url() {
        return "jdbc:oracle:thin:@" + host() + ":" + port() + "/" + PDB;
    }

    void executeAsConnectorUser(String... statements) throws SQLException {
        try (Connection c = asConnectorUser()) {
            execute(c, statements);
        }
    }

    void executeAsApplication(String... statements) throws SQLException {
        try (Connection c = asApplication()) {
            execute(c, statements);
        }
    }

    private static void execute(Connection c, String... statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** The first column of the first row, or -1 without a row (null counts as -1 too). */
    long queryLong(String sql) throws SQLException {
        try (Connection c = asConnectorUser(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                return -1;
            }
            long value = rs.getLong(1);
            return rs.wasNull() ? -1 : value;
        }
    }
}
