package io.tidemark.control.project;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** A JDBC database the control API talks to: the target (control schema) or the source (request table). */
public record DatabaseSettings(String url, String user, String password) {

    /** Bounded: a database that does not answer makes an action fail, never hang. */
    public Connection connect() throws SQLException {
        Properties props = driverProperties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        DriverManager.setLoginTimeout(10);
        return DriverManager.getConnection(url, props);
    }

    /**
     * A connection for statements that may rightly run long (an index build, a constraint's VALIDATE):
     * no socket timeout; the caller bounds its lock waits instead.
     */
    public Connection connectUnbounded() throws SQLException {
        Properties props = driverProperties();
        props.setProperty("socketTimeout", "0");
        props.setProperty("oracle.jdbc.ReadTimeout", "0");
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        DriverManager.setLoginTimeout(10);
        return DriverManager.getConnection(url, props);
    }

    /** The driver's timeouts and the name the database shows for our sessions. */
    Properties driverProperties() {
        Properties props = new Properties();
        if (url.startsWith("jdbc:postgresql:")) {
            props.setProperty("connectTimeout", "10");
            props.setProperty("socketTimeout", "60");
            props.setProperty("ApplicationName", "tidemark-control-api");
        } else if (url.startsWith("jdbc:oracle:")) {
            props.setProperty("oracle.net.CONNECT_TIMEOUT", "10000");
            props.setProperty("oracle.jdbc.ReadTimeout", "60000");
        }
        return props;
    }

    public boolean isOracle() {
        return url.startsWith("jdbc:oracle:");
    }

    @Override
    public String toString() {
        return url + " as " + user; // never the password
    }
}
