package io.tidemark.sink.flush;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import io.tidemark.sink.config.PostgresSinkConfig;

/** Opens the sink's connections to the target database, set up the way the write path needs them. */
public interface ConnectionFactory {

    Connection open() throws SQLException;

    /**
     * Connections from the sink's configuration. Every wait is bounded, so that neither a dead
     * server, a network that swallows packets, a lock held by an abandoned session nor a runaway
     * statement can freeze a task: connect and login, every socket read, every statement and every
     * lock wait time out, and the error is transient (the flush is retried). String literals are
     * standard ({@code standard_conforming_strings}), whatever the server's default.
     */
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
            props.setProperty("connectTimeout", Long.toString(seconds(config.connectionTimeoutMs())));
            props.setProperty("loginTimeout", Long.toString(seconds(config.connectionTimeoutMs())));
            props.setProperty("socketTimeout", Long.toString(seconds(config.socketTimeoutMs())));
            props.setProperty("tcpKeepAlive", "true");
            props.setProperty("reWriteBatchedInserts", "true");
            Connection connection = DriverManager.getConnection(config.connectionUrl(), props);
            try (Statement st = connection.createStatement()) {
                // Dates and times are written as text in UTC and ISO form; pin what parses them.
                // A session of ours that stopped talking mid-transaction (its task gone) gives its locks back.
                // Source names reach SQL as literals: a backslash in one must not be an escape.
                st.execute("SET standard_conforming_strings = on;"
                        + " SET TIME ZONE 'UTC'; SET datestyle = 'ISO, YMD'; SET intervalstyle = 'postgres';"
                        + " SET statement_timeout = " + config.statementTimeoutMs() + ";"
                        + " SET lock_timeout = " + config.lockTimeoutMs() + ";"
                        + " SET idle_in_transaction_session_timeout = " + config.socketTimeoutMs());
            }
            connection.setAutoCommit(false);
            return connection;
        };
    }

    /** PgJDBC takes its timeouts in whole seconds; round up, so that a short timeout is never 0 (= none). */
    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
