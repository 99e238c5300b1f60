package io.tidemark.control.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tidemark.control.load.BulkLoad;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.sink.SinkPrecheck;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * What the status shows of a bulk load, from its record, after real loads (real PostgreSQL): a
 * failed table with PostgreSQL's reason beside the loaded one, and nothing once a load run again
 * has loaded every table.
 */
class BulkLoadStatusTest {

    private final PostgresTestDatabase source = PostgresTestDatabase.create("bls_src");
    private final PostgresTestDatabase target = PostgresTestDatabase.create("bls_dst");

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    /** One worker: the tables are copied in the order given, so which one is loaded when the other fails is known. */
    private BulkLoad load() {
        SinkPrecheck names = new SinkPrecheck(Map.of("connection.url", target.jdbcUrl(), "project.name", "bls",
                "control.schema", "tm_bls"));
        return new BulkLoad(new DatabaseSettings(source.jdbcUrl(), source.user(), source.password()),
                new DatabaseSettings(target.jdbcUrl(), target.user(), target.password()), names, "bls",
                new BulkLoad.Settings(1, 4, 200), line -> { });
    }

    private List<ProjectStatus.BulkLoadTable> status() throws Exception {
        try (Connection c = target.connect()) {
            return BulkLoadStatus.read(c, new ControlSchema("tm_bls"), "bls");
        }
    }

    @Test
    void aFailedTableShowsWithItsReasonThenNothingOnceLoaded() throws Exception {
        source.execute("CREATE TABLE public.ok (id int PRIMARY KEY, v text)",
                "CREATE TABLE public.bad (id int PRIMARY KEY, v text)",
                "INSERT INTO public.ok SELECT g, 'v' || g FROM generate_series(1, 300) g",
                "INSERT INTO public.bad SELECT g, 'v' || g FROM generate_series(1, 300) g", "ANALYZE");
        // An empty target the load accepts, whose check refuses one of the rows.
        target.execute("CREATE TABLE public.bad (id int PRIMARY KEY, v text CHECK (v <> 'v150'))");

        assertThatThrownBy(() -> load().run(List.of("public.ok", "public.bad"), p -> { }))
                .hasMessageContaining("bad_v_check");
        List<ProjectStatus.BulkLoadTable> failed = status();
        assertThat(failed).extracting(ProjectStatus.BulkLoadTable::sourceTable, ProjectStatus.BulkLoadTable::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("public.bad", "FAILED"),
                        org.assertj.core.groups.Tuple.tuple("public.ok", "LOADED"));
        assertThat(failed.get(0).error()).contains("violates check constraint \"bad_v_check\"");
        assertThat(failed.get(0).rowsEstimated()).isEqualTo(300);
        assertThat(failed.get(1).rowsLoaded()).isEqualTo(300);
        assertThat(failed.get(1).etaSeconds()).isNull();

        target.execute("ALTER TABLE public.bad DROP CONSTRAINT bad_v_check");
        load().run(List.of("public.ok", "public.bad"), p -> { });
        assertThat(status()).isEmpty();
        assertThat(target.count("SELECT count(*) FROM public.bad")).isEqualTo(300);
    }
}
