package io.tidemark.control.project;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A small pool of connections to one database (HikariCP): a few connections kept a minute, none
 * opened before the first request (the API starts while a database is down), and every wait
 * bounded: a connection within 3 s or an error, then the driver's own connect and read timeouts.
 */
public final class DatabasePool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatabasePool.class);

    private final DatabaseSettings settings;
    private final HikariDataSource pool;

    public DatabasePool(DatabaseSettings settings, String name, int size) {
        this.settings = settings;
        HikariConfig config = new HikariConfig();
        config.setPoolName("tidemark-" + name);
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        Properties props = settings.driverProperties();
        props.forEach((k, v) -> config.addDataSourceProperty((String) k, v));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setIdleTimeout(60_000);
        config.setMaxLifetime(600_000);
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** A connection from the pool (closing it gives it back); the failure's text goes to the log, not to callers. */
    public Connection connection() throws SQLException {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            LOG.warn("{} does not answer: {}{}", settings, e.getMessage(), e.getCause() == null ? ""
                    : " (" + e.getCause().getMessage() + ")");
            throw e;
        }
    }

    /**
     * A failure in words safe to answer with: what kind of failure and its SQLState, never the
     * driver's text (it may carry SQL, names or values); the log has that.
     */
    public static String describe(SQLException e) {
        SQLException root = e.getCause() instanceof SQLException cause && e.getSQLState() == null ? cause : e;
        String state = root.getSQLState();
        String kind = state == null ? "no answer" : switch (state.length() >= 2 ? state.substring(0, 2) : state) {
            case "08" -> "the connection failed";
            case "28" -> "the login was refused";
            case "42" -> state.equals("42501") ? "a privilege is missing" : "a table or column is missing or wrong";
            case "57" -> "the statement was cancelled (a timeout or a shutdown)";
            case "40" -> "the transaction was rolled back";
            case "53" -> "the database lacks resources (connections, memory or disk)";
            default -> "a database error";
        };
        return kind + (state == null ? "" : ", SQLState " + state);
    }

    @Override
    public void close() {
        pool.close();
    }
}
