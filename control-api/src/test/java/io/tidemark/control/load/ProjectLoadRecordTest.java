package io.tidemark.control.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.TestProjects;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.control.project.Project;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Whether a bulk load completed, read from its record on the real PostgreSQL: no record is "no load",
 * a record start cannot read is an error, never "no load" (start would then tell the user to delete
 * a project whose load did complete).
 */
class ProjectLoadRecordTest {

    private static final String ROLE = "tm_load_record_reader";

    private PostgresTestDatabase db;

    @BeforeEach
    void setUp() throws SQLException {
        db = PostgresTestDatabase.create("load_record");
        admin("DROP ROLE IF EXISTS " + ROLE, "CREATE ROLE " + ROLE + " LOGIN PASSWORD 'reader'");
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
        admin("DROP ROLE IF EXISTS " + ROLE);
    }

    @Test
    void noControlSchemaNoRecordOrAnUnfinishedOneIsNoCompletedLoad() throws SQLException {
        assertThat(load(db.user(), db.password()).completedBefore()).as("no control schema").isFalse();
        try (Connection c = db.connect()) {
            new ControlSchema("tidemark").ensure(c);
        }
        assertThat(load(db.user(), db.password()).completedBefore()).as("no record").isFalse();
        db.execute("INSERT INTO tidemark.bulk_load (project, source_table, target_table, state) VALUES "
                + "('shop', 'public.x', 'public.x', 'LOADED'), ('shop', 'public.y', 'public.y', 'LOADING')");
        assertThat(load(db.user(), db.password()).completedBefore()).as("one table still loading").isFalse();
        db.execute("UPDATE tidemark.bulk_load SET state = 'LOADED'");
        assertThat(load(db.user(), db.password()).completedBefore()).isTrue();
    }

    @Test
    void aRecordStartCannotReadIsAnErrorNotNoLoad() throws SQLException {
        try (Connection c = db.connect()) {
            new ControlSchema("tidemark").ensure(c);
        }
        db.execute("INSERT INTO tidemark.bulk_load (project, source_table, target_table, state) VALUES "
                + "('shop', 'public.x', 'public.x', 'LOADED')",
                "GRANT USAGE ON SCHEMA tidemark TO " + ROLE,
                "GRANT SELECT ON ALL TABLES IN SCHEMA tidemark TO " + ROLE,
                "REVOKE SELECT ON tidemark.bulk_load FROM " + ROLE);
        assertThatThrownBy(() -> load(ROLE, "reader").completedBefore()).isInstanceOf(ControlException.class)
                .hasMessageContaining("bulk_load").hasMessageContaining("permission denied");
    }

    private ProjectLoad load(String user, String password) {
        Project t = TestProjects.project("shop", URI.create("http://127.0.0.1:1"), null);
        DatabaseSettings target = new DatabaseSettings(db.jdbcUrl(), user, password);
        Project p = new Project(t.name(), t.connect(), t.source(), t.sink(), t.sinkPrecheck(), t.sourceDatabase(),
                target, t.controlSchema(), t.controlProject(), t.requestTable(), t.kafka(), t.strimzi(), t.defaultWait());
        return new ProjectLoad(ProjectServices.of(p, Map.of()), BulkLoad.Settings.defaults(), (check, what) -> true);
    }

    private static void admin(String... sql) throws SQLException {
        try (Connection c = PostgresTestDatabase.adminConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
