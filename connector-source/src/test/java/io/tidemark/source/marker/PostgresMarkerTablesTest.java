package io.tidemark.source.marker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tidemark.source.config.IterationConfig;
import io.tidemark.source.marker.MarkerRow.Reason;
import io.tidemark.testkit.PostgresTestDatabase;

/** Setup and writing of the marker objects against the local PostgreSQL. */
class PostgresMarkerTablesTest {

    private static final PostgresMarkerDialect DIALECT = new PostgresMarkerDialect();
    private static PostgresTestDatabase db;
    private static MarkerTables tables;

    @BeforeAll
    static void createDatabase() {
        db = PostgresTestDatabase.create("markers");
        tables = DIALECT.tables(new IterationConfig(Map.of(IterationConfig.SCHEMA, "Tidemark")));
        try (Connection c = db.connect()) {
            new MarkerTableSetup(DIALECT, tables, db.user()).ensure(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void setupCreatesTheObjectsOnceAndThenFindsThem() throws SQLException {
        assertThat(db.count("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'tidemark' AND c.relname IN ('tidemark_iteration', 'tidemark_iteration_seq',"
                + " 'tidemark_iteration_request')")).isEqualTo(3);
        try (Connection c = db.connect()) {
            assertThat(new MarkerTableSetup(DIALECT, tables, db.user()).ensure(c)).isEmpty();
        }
    }

    @Test
    void aUserWithoutCreateOnTheSchemaIsToldWhatToGrant() throws SQLException {
        String role = db.name() + "_weak";
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'weak'");
        try (Connection weak = DriverManager.getConnection(db.jdbcUrl(), role, "weak")) {
            MarkerTables elsewhere = new MarkerTables("tidemark", "other_iteration", "other_seq", "other_request");
            assertThatThrownBy(() -> new MarkerTableSetup(DIALECT, elsewhere, role).ensure(weak))
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("CREATE SEQUENCE IF NOT EXISTS tidemark.other_seq")
                    .hasMessageContaining("permission denied for schema tidemark")
                    .hasMessageContaining("GRANT CREATE ON SCHEMA tidemark TO " + role);
            MarkerTables newSchema = new MarkerTables("elsewhere", "m", "s", "r");
            assertThatThrownBy(() -> new MarkerTableSetup(DIALECT, newSchema, role).ensure(weak))
                    .hasMessageContaining("GRANT CREATE ON DATABASE");
        } finally {
            db.terminateOtherSessions();
            db.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    @Test
    void markerIdsComeFromTheSequenceAndRequestsAreHandledInTheSameTransaction() throws SQLException {
        String stream = "ids";
        try (JdbcMarkerStore store = new JdbcMarkerStore(db::connect, DIALECT, tables)) {
            assertThat(store.lastMarker(stream)).isEmpty();
            assertThat(store.writeMarker(stream, null, 1L)).as("nothing due, nothing requested").isEmpty();

            MarkerRow first = store.writeMarker(stream, Reason.SNAPSHOT, 10L).orElseThrow();
            db.execute("INSERT INTO tidemark.tidemark_iteration_request (stream_name, action) VALUES ('ids', 'CLOSE')",
                    "INSERT INTO tidemark.tidemark_iteration_request (stream_name, action) VALUES ('ids', 'FINAL')",
                    "INSERT INTO tidemark.tidemark_iteration_request (stream_name, action) VALUES ('another', 'CLOSE')");
            assertThat(store.hasPendingRequest(stream)).isTrue();
            MarkerRow requested = store.writeMarker(stream, null, 20L).orElseThrow();

            assertThat(requested.iteration()).isGreaterThan(first.iteration());
            assertThat(requested.isFinal()).isTrue();
            assertThat(requested.reason()).isEqualTo(Reason.REQUEST);
            assertThat(store.hasPendingRequest(stream)).isFalse();
            assertThat(store.hasPendingRequest("another")).isTrue();
            assertThat(db.rowsAsText("SELECT action, iteration, handled_at IS NOT NULL FROM tidemark.tidemark_iteration_request"
                    + " WHERE stream_name = 'ids' ORDER BY request_id"))
                    .containsExactly("CLOSE|" + requested.iteration() + "|t", "FINAL|" + requested.iteration() + "|t");
            assertThat(store.lastMarker(stream)).isEqualTo(Optional.of(requested));
        }
    }

    @Test
    void theFirstIdOfAFreshSequenceIsZero() throws SQLException {
        MarkerTables fresh = new MarkerTables("tidemark", "fresh_iteration", "fresh_seq", "fresh_request");
        try (Connection c = db.connect()) {
            new MarkerTableSetup(DIALECT, fresh, db.user()).ensure(c);
        }
        try (JdbcMarkerStore store = new JdbcMarkerStore(db::connect, DIALECT, fresh)) {
            assertThat(store.writeMarker("zero", Reason.SNAPSHOT, 1L)).hasValueSatisfying(row ->
                    assertThat(row.iteration()).isZero());
        }
    }
}
