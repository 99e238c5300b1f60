package io.tidemark.sink.flush;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.config.PostgresSinkConfig;
import io.tidemark.sink.naming.Identifiers;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The session settings of the sink's own {@link ConnectionFactory}, the one tasks use (not a
 * test's): every wait bounded, and string literals read the same whatever the server's default,
 * since source column names reach the stage's SQL as literals.
 */
class ConnectionSettingsTest {

    private static PostgresTestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("connsettings");
        // A server (or database) configured the old way: backslashes in '' are escapes.
        db.execute("ALTER DATABASE " + db.name() + " SET standard_conforming_strings = off",
                "ALTER DATABASE " + db.name() + " SET escape_string_warning = off");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static Connection open() throws SQLException {
        return open(45_000, 90_000, 7_000);
    }

    private static Connection open(long statementTimeoutMs, long socketTimeoutMs, long lockTimeoutMs) throws SQLException {
        Map<String, String> props = new HashMap<>();
        props.put(PostgresSinkConfig.CONNECTION_URL, db.jdbcUrl());
        props.put(PostgresSinkConfig.CONNECTION_USER, db.user());
        props.put(PostgresSinkConfig.CONNECTION_PASSWORD, db.password());
        props.put(PostgresSinkConfig.CONNECTION_STATEMENT_TIMEOUT_MS, Long.toString(statementTimeoutMs));
        props.put(PostgresSinkConfig.CONNECTION_LOCK_TIMEOUT_MS, Long.toString(lockTimeoutMs));
        props.put(PostgresSinkConfig.CONNECTION_SOCKET_TIMEOUT_MS, Long.toString(socketTimeoutMs));
        return ConnectionFactory.of(new PostgresSinkConfig(props), "settings-test").open();
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void everyWaitIsBoundedAndStringsConformWhateverTheServerDefault() throws SQLException {
        try (Connection c = open()) {
            assertThat(show(c, "statement_timeout")).isEqualTo("45s");
            assertThat(show(c, "lock_timeout")).isEqualTo("7s");
            assertThat(show(c, "idle_in_transaction_session_timeout")).isEqualTo("90s");
            assertThat(show(c, "standard_conforming_strings")).isEqualTo("on");
            assertThat(show(c, "TimeZone")).isEqualTo("UTC");
            assertThat(c.getAutoCommit()).isFalse();
        }
    }

    @Test
    void aSessionLeftIdleInATransactionIsEndedAndItsLocksGoBack() throws SQLException {
        db.execute("CREATE TABLE IF NOT EXISTS public.held (id int)");
        try (Connection sink = open(1_000, 2_000, 500)) {
            try (Statement st = sink.createStatement()) {
                st.execute("LOCK TABLE public.held IN ACCESS EXCLUSIVE MODE"); // and then nothing, as a task that died
            }
            try (Connection other = db.connect(); Statement st = other.createStatement()) {
                other.setAutoCommit(false);
                st.execute("SET lock_timeout = '30s'");
                // Fails with a lock timeout if the abandoned session still holds the table after 30 s.
                st.execute("LOCK TABLE public.held IN ACCESS EXCLUSIVE MODE");
                other.rollback();
            }
            assertThatThrownBy(() -> show(sink, "statement_timeout")).as("the server ended the idle session")
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aNameWithAQuoteAndABackslashIsTheSameNameAsALiteral() throws SQLException {
        String name = "O'Brien\\x27; DROP TABLE t; --\\";
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertThat(show(c, "standard_conforming_strings")).as("the database's default").isEqualTo("off");
            try (ResultSet rs = st.executeQuery("SELECT " + Identifiers.literal(name))) {
                rs.next();
                assertThat(rs.getString(1)).as("a plain session, server default off").isEqualTo(name);
            }
        }
        try (Connection c = open(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + Identifiers.literal(name))) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(name);
        }
    }
}
