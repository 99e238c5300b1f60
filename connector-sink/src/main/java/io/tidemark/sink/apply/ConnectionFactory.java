package io.tidemark.sink.apply;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import io.tidemark.sink.config.PostgresSinkConfig;

/** Opens the sink's connections to the target database, set up the way the write path needs them. */
public interface ConnectionFactory {

    Connection open() throws SQLException;

    /** Connections from the sink's configuration. */
    static ConnectionFactory of(PostgresSinkConfig config, String applicationName) {
        return () -> {
            Properties props = new Properties();
            if (config.connectionUser() != null) {
                props.setProperty("user", config.connectionUser());
            }
            if (config.connectionPassword() != null) {
                props.setProperty("password", config.connectionPassword());
            }
            props.setProperty("ApplicationName", applicationName);
            // A dead server must not hang a task forever; the retry policy takes over.
            props.setProperty("connectTimeout", "10");
            props.setProperty("tcpKeepAlive", "true");
            props.setProperty("reWriteBatchedInserts", "true");
            Connection connection = DriverManager.getConnection(config.connectionUrl(), props);
            try (Statement st = connection.createStatement()) {
                // Dates and times are written as text in UTC and ISO form; pin what parses them.
                st.execute("SET TIME ZONE 'UTC'");
                st.execute("SET datestyle = 'ISO, YMD'");
                st.execute("SET intervalstyle = 'postgres'");
            }
            connection.setAutoCommit(false);
            return connection;
        };
    }
}
