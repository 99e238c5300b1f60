package io.tidemark.quickstart.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.tidemark.quickstart.QuickstartException;

/**
 * The PostgreSQL server of the demo: the one given ({@code --pg-url}, or
 * {@code TIDEMARK_TEST_PG_URL}/{@code _USER}/{@code _PASSWORD} as the tests use), else the local one
 * at 127.0.0.1:5432 as {@code scripts/prepare-postgres.sh} prepares it. It holds the demo's
 * source database (for a PostgreSQL source) and its target database, each of its own name.
 *
 * @param adminUrl a {@code jdbc:postgresql://} URL of a database to connect to for administration
 * @param given    whether the user named the server (then nothing is installed or prepared)
 */
public record PostgresInstance(String adminUrl, String user, String password, boolean given) {

    public static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    public static PostgresInstance resolve(String url, String user, String password) {
        String envUrl = System.getenv("TIDEMARK_TEST_PG_URL");
        String resolvedUrl = firstOf(url, envUrl, LOCAL_URL);
        if (!resolvedUrl.startsWith("jdbc:postgresql://")) {
            throw new QuickstartException("--pg-url must be a jdbc:postgresql:// URL, not " + resolvedUrl);
        }
        return new PostgresInstance(resolvedUrl, firstOf(user, System.getenv("TIDEMARK_TEST_PG_USER"), "postgres"),
                firstOf(password, System.getenv("TIDEMARK_TEST_PG_PASSWORD"), "postgres"),
                url != null || (envUrl != null && !envUrl.isBlank()));
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    public String host() {
        return uri().getHost();
    }

    public int port() {
        return uri().getPort() < 0 ? 5432 : uri().getPort();
    }

    private URI uri() {
        return URI.create(adminUrl.substring("jdbc:".length()));
    }

    /** The same server's URL for another database (the admin URL's parameters kept). */
    public String urlOf(String database) {
        URI uri = uri();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return "jdbc:postgresql://" + uri.getRawAuthority() + "/" + database + query;
    }

    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("loginTimeout", "5");
        props.setProperty("socketTimeout", "60");
        props.setProperty("ApplicationName", "tidemark-quickstart");
        return DriverManager.getConnection(database == null ? adminUrl : urlOf(database), props);
    }

    /**
     * Makes sure the server answers (with {@code wal_level=logical} when it is the source too). The
     * local server, when it does
     * not, is prepared by {@code scripts/prepare-postgres.sh} (which installs PostgreSQL as root on
     * Debian/Ubuntu); otherwise the message names the command to run.
     */
    public void ensureReady(Path prepareScript, boolean logical, Consumer<String> report) {
        String problem = problem(logical);
        if (problem == null) {
            return;
        }
        if (given) {
            throw new QuickstartException(problem + " (the server --pg-url or TIDEMARK_TEST_PG_URL names: check it, and"
                    + " --pg-user/--pg-password or TIDEMARK_TEST_PG_USER/_PASSWORD)");
        }
        report.accept("the local PostgreSQL is not ready (" + problem + "): running " + prepareScript);
        runPrepareScript(prepareScript);
        problem = problem(logical);
        if (problem != null) {
            throw new QuickstartException(problem + ". Prepare the local PostgreSQL with: sudo " + prepareScript
                    + " (on Debian/Ubuntu it installs PostgreSQL too: sudo apt-get install -y postgresql), or give"
                    + " --pg-url, --pg-user and --pg-password of a PostgreSQL 12+ server with wal_level=logical");
        }
    }

    private String problem(boolean logical) {
        try (Connection c = connect(null); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW wal_level")) {
            rs.next();
            if (logical && !"logical".equals(rs.getString(1))) {
                return "PostgreSQL at " + adminUrl + " runs with wal_level=" + rs.getString(1) + "; the demo source needs"
                        + " logical decoding: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL";
            }
            return null;
        } catch (SQLException e) {
            return "cannot log in to PostgreSQL at " + adminUrl + " as " + user + ": " + e.getMessage();
        }
    }

    private static void runPrepareScript(Path script) {
        try {
            // Its output is the user's: it may install packages, which takes a while.
            Process p = new ProcessBuilder(script.toString()).inheritIO().start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new QuickstartException(script + " did not finish within 15 minutes");
            }
        } catch (IOException e) {
            throw new QuickstartException("cannot run " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuickstartException("interrupted");
        }
    }

    /** Drops the database (after its inactive replication slots, which would block that) and creates it empty. */
    public void recreateDatabase(String database) throws SQLException {
        try (Connection c = connect(null); Statement st = c.createStatement()) {
            dropInactiveSlots(c, database);
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + database);
        }
    }

    /** The pid of the session that holds a replication slot of this database, or 0 when none does. */
    public long activeSlotPid(String database) throws SQLException {
        try (Connection c = connect(null); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(active_pid), 0) FROM pg_replication_slots WHERE database = ? AND active")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Drops the database's replication slots that no session holds: an inactive slot keeps WAL forever. */
    public int dropInactiveSlots(String database) throws SQLException {
        try (Connection c = connect(null)) {
            return dropInactiveSlots(c, database);
        }
    }

    private static int dropInactiveSlots(Connection c, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(pg_drop_replication_slot(slot_name))"
                + " FROM pg_replication_slots WHERE database = ? AND NOT active")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
