package io.tidemark.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A throwaway database in the local PostgreSQL, one per test class: created on {@link #create},
 * dropped on {@link #close} (after its replication slots and sessions are gone, which would
 * otherwise block {@code DROP DATABASE}).
 *
 * <p>Where PostgreSQL is: {@code TIDEMARK_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, the maintenance database the test databases are
 * created from), {@code TIDEMARK_TEST_PG_USER} and {@code TIDEMARK_TEST_PG_PASSWORD} (default
 * {@code postgres}/{@code postgres}). {@code .ci/run} makes that true on a fresh machine.
 */
public final class PostgresTestDatabase implements AutoCloseable {

    public static final String ADMIN_URL = env("TIDEMARK_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    public static final String USER = env("TIDEMARK_TEST_PG_USER", "postgres");
    public static final String PASSWORD = env("TIDEMARK_TEST_PG_PASSWORD", "postgres");

    private final String name;
    private final String jdbcUrl;

    private PostgresTestDatabase(String name) {
        this.name = name;
        this.jdbcUrl = withDatabase(ADMIN_URL, name);
    }

    /** Creates a fresh, empty database whose name starts with {@code tm_<prefix>_}. */
    public static PostgresTestDatabase create(String prefix) {
        String name = ("tm_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection admin = adminConnection(); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " at " + ADMIN_URL
                    + " as " + USER + " (is PostgreSQL running? .ci/run prepares it): " + e.getMessage(), e);
        }
        return new PostgresTestDatabase(name);
    }

    /**
     * A database that something else creates on this server (a launcher under test, say), under
     * its name: to connect to it as to one of {@link #create}'s, and to drop it the same way, since
     * {@link #close} drops it too.
     */
    public static PostgresTestDatabase existing(String name) {
        return new PostgresTestDatabase(name);
    }

    public static Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** Host name of the server, for connectors that take host/port/dbname rather than a URL. */
    public String host() {
        return hostPort()[0];
    }

    public int port() {
        return Integer.parseInt(hostPort()[1]);
    }

    private String[] hostPort() {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/'));
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? new String[] {hostPort, "5432"}
                : new String[] {hostPort.substring(0, colon), hostPort.substring(colon + 1)};
    }

    /** This database's URL through another address (a {@link TcpProxy}), with extra driver parameters. */
    public String jdbcUrlVia(String host, int port, String parameters) {
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + name;
        return parameters == null || parameters.isEmpty() ? url : url + "?" + parameters;
    }

    /** The application names of the sessions on this database other than the caller's. */
    public List<String> sessions() {
        return query("SELECT coalesce(application_name, '') AS app FROM pg_stat_activity WHERE datname = ?"
                + " AND pid <> pg_backend_pid()", name).stream().map(r -> (String) r.get("app")).toList();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
    }

    /** Runs statements, each in its own auto-committed transaction. */
    public void execute(String... sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Rows as ordered column→value maps (column labels as PostgreSQL reports them). */
    public List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " [" + sql + "]", e);
        }
    }

    /** The first column of the first row, or null when there is no row. */
    public Object scalar(String sql, Object... args) {
        List<Map<String, Object>> rows = query(sql, args);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    public long count(String sql, Object... args) {
        Object value = scalar(sql, args);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** Rows rendered as text, one string per row, column values joined by '|': handy to compare states. */
    public List<String> rowsAsText(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        if (i > 1) {
                            sb.append('|');
                        }
                        sb.append(rs.getString(i));
                    }
                    rows.add(sb.toString());
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " [" + sql + "]", e);
        }
    }

    /** Ends every other session on this database (a crash as PostgreSQL sees it). Returns how many. */
    public int terminateOtherSessions() {
        try (Connection admin = adminConnection(); PreparedStatement ps = admin.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (Connection admin = adminConnection(); Statement st = admin.createStatement()) {
            // A source connector still streaming holds its slot: end its session first, then drop
            // the slots (the sources of the tests keep theirs on stop, as production ones should).
            for (int attempt = 0; attempt < 50; attempt++) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'"
                        + " AND pid <> pg_backend_pid()");
                st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                        + " WHERE database = '" + name + "' AND NOT active");
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE database = '"
                        + name + "'")) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String withDatabase(String url, String database) {
        String prefix = "jdbc:postgresql://";
        if (!url.startsWith(prefix)) {
            throw new IllegalArgumentException("TIDEMARK_TEST_PG_URL must be a jdbc:postgresql:// URL: " + url);
        }
        int slash = url.indexOf('/', prefix.length());
        int query = url.indexOf('?');
        String base = slash < 0 ? url : url.substring(0, slash);
        String params = query < 0 ? "" : url.substring(query);
        return base + "/" + database + params;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
