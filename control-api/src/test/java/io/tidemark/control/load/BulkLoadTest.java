package io.tidemark.control.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.sink.SinkPrecheck;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The bulk load against real PostgreSQL databases (source and target; no Kafka): content compared
 * row by row through each row's text form, which PostgreSQL renders the same on both sides when the
 * types are the same.
 */
class BulkLoadTest {

    private final PostgresTestDatabase source = PostgresTestDatabase.create("bl_src");
    private final PostgresTestDatabase target = PostgresTestDatabase.create("bl_dst");
    private final List<String> said = new ArrayList<>();

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    private BulkLoad load(int workers) {
        SinkPrecheck names = new SinkPrecheck(Map.of("connection.url", target.jdbcUrl(), "project.name", "bl",
                "control.schema", "tm_bl", "target.schema", "bl_t"));
        return new BulkLoad(new DatabaseSettings(source.jdbcUrl(), source.user(), source.password()),
                new DatabaseSettings(target.jdbcUrl(), target.user(), target.password()), names, "bl",
                new BulkLoad.Settings(workers, 4, 200), said::add);
    }

    private static final String TYPES = "CREATE TABLE public.wide (id bigint PRIMARY KEY, i2 smallint, i4 int, "
            + "dec numeric(12,2), num numeric, r real, d double precision, b boolean, t text, v varchar(20), "
            + "c char(5), bin bytea, day date, ts timestamp, tstz timestamptz, tm time, iv interval, u uuid, "
            + "j jsonb, js json, ia int[], ta text[])";

    private static final String ROWS = "INSERT INTO public.wide SELECT g, (g %% 30000)::smallint, g * 7, g / 100.0, "
            + "CASE WHEN g %% 97 = 0 THEN 'NaN'::numeric ELSE g * 1.000001 END, g / 3.0, "
            + "CASE g %% 101 WHEN 0 THEN 'Infinity'::float8 WHEN 1 THEN 'NaN'::float8 ELSE g / 7.0 END, g %% 2 = 0, "
            + "CASE WHEN g %% 13 = 0 THEN NULL ELSE 'tab\tnl\n back\\\\slash ü ' || repeat(md5(g::text), g %% 4) END, "
            + "'v' || g, 'c' || (g %% 100), decode(md5(g::text), 'hex'), date '2000-01-01' + g %% 9000, "
            + "timestamp '2020-01-01 00:00:00.123456' + g * interval '1.000001 s', "
            + "timestamptz '2020-01-01 00:00:00+02' + g * interval '1 min', time '00:00:00' + g * interval '1 s', "
            + "g * interval '1 day 1 ms', md5(g::text)::uuid, jsonb_build_object('g', g, 'a', array[g, -g]), "
            + "('{\"b\": 1,  \"a\": ' || g || '}')::json, array[g, NULL, -g], array['x' || g, NULL, 'q\"uote'] "
            + "FROM generate_series(%d, %d) g";

    private static final String AS_TEXT = "SELECT id, t::text FROM %s t ORDER BY id";

    @Test
    void everyBuiltInTypeArrivesEqualReadInChunksOfOneSnapshotWhileTheSourceChanges() {
        source.execute(TYPES, ROWS.formatted(1, 40_000), "CREATE TABLE public.small (id int PRIMARY KEY, name text)",
                "INSERT INTO public.small SELECT g, 'n' || g FROM generate_series(1, 50) g", "ANALYZE");
        List<List<String>> atSnapshot = new ArrayList<>();

        BulkLoad.Result result = load(3).run(List.of("public.wide", "public.small"), position -> {
            atSnapshot.add(source.rowsAsText(AS_TEXT.formatted("public.wide")));
            atSnapshot.add(source.rowsAsText(AS_TEXT.formatted("public.small")));
            // Committed after the snapshot: none of it may reach the target through the load.
            source.execute("UPDATE public.wide SET t = 'changed' WHERE id % 10 = 0",
                    "DELETE FROM public.wide WHERE id BETWEEN 100 AND 199", ROWS.formatted(40_001, 40_100),
                    "INSERT INTO public.small VALUES (51, 'late')");
        });

        assertThat(target.rowsAsText(AS_TEXT.formatted("bl_t.wide"))).isEqualTo(atSnapshot.get(0)).hasSize(40_000);
        assertThat(target.rowsAsText(AS_TEXT.formatted("bl_t.small"))).isEqualTo(atSnapshot.get(1)).hasSize(50);
        assertThat(source.count("SELECT count(*) FROM public.wide")).isEqualTo(40_000 - 100 + 100);
        assertThat(result.tables()).extracting(BulkLoad.TableResult::source, BulkLoad.TableResult::rows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("public.wide", 40_000L),
                        org.assertj.core.groups.Tuple.tuple("public.small", 50L));
        assertThat(result.tables().get(0).chunks()).as("the large table read in parallel chunks").isGreaterThan(2);
        assertThat(result.tables().get(1).chunks()).isEqualTo(1);
        assertThat(target.rowsAsText("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY (i.indkey) WHERE i.indrelid = 'bl_t.wide'::regclass AND i.indisprimary"))
                .containsExactly("id");
        assertThat(target.rowsAsText("SELECT source_table, state, rows_loaded, source_position IS NOT NULL FROM "
                + "tm_bl.bulk_load ORDER BY 1")).containsExactly("public.small|LOADED|50|t", "public.wide|LOADED|40000|t");
        assertThat(said).anyMatch(l -> l.startsWith("public.wide -> bl_t.wide: 40000 rows"));
    }

    @Test
    void manyTablesArePreparedOnSeveralSessionsAndLoadedInTheirOrder() {
        List<String> tables = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            source.execute("CREATE TABLE public.t" + i + " (id int PRIMARY KEY, v text)",
                    "INSERT INTO public.t" + i + " SELECT g, 't" + i + " ' || g FROM generate_series(1, " + (i + 1) + ") g");
            tables.add("public.t" + i);
        }
        target.execute("CREATE SCHEMA bl_t", "CREATE TABLE bl_t.t7 (id int PRIMARY KEY, v text)"); // an empty one, kept

        BulkLoad.Result result = load(4).run(tables, p -> { });

        assertThat(result.tables()).extracting(BulkLoad.TableResult::source).containsExactlyElementsOf(tables);
        for (int i = 0; i < 70; i++) {
            assertThat(target.rowsAsText(AS_TEXT.formatted("bl_t.t" + i)))
                    .isEqualTo(source.rowsAsText(AS_TEXT.formatted("public.t" + i))).hasSize(i + 1);
        }
        assertThat(target.count("SELECT count(*) FROM tm_bl.bulk_load WHERE state = 'LOADED'")).isEqualTo(70);
    }

    @Test
    void aTargetWithRowsTheLoadDidNotPutThereIsRefusedAndKept() {
        source.execute("CREATE TABLE public.small (id int PRIMARY KEY, name text)",
                "INSERT INTO public.small VALUES (1, 'source')");
        target.execute("CREATE SCHEMA bl_t", "CREATE TABLE bl_t.small (id int PRIMARY KEY, name text)",
                "INSERT INTO bl_t.small VALUES (7, 'mine')");

        assertThatThrownBy(() -> load(2).run(List.of("public.small"), p -> { }))
                .isInstanceOf(BulkLoadException.class)
                .hasMessageContaining("public.small: the target bl_t.small has rows, and no earlier bulk load of project bl");
        assertThat(target.rowsAsText("SELECT * FROM bl_t.small")).containsExactly("7|mine");
    }

    @Test
    void anUnfinishedLoadOfThisProjectIsEmptiedAndLoadedAgain() {
        source.execute("CREATE TABLE public.small (id int PRIMARY KEY, name text)",
                "INSERT INTO public.small SELECT g, 'n' || g FROM generate_series(1, 500) g");
        load(2).run(List.of("public.small"), p -> { });
        source.execute("DELETE FROM public.small WHERE id > 400");

        load(2).run(List.of("public.small"), p -> { });

        assertThat(target.count("SELECT count(*) FROM bl_t.small")).isEqualTo(400);
        assertThat(target.rowsAsText(AS_TEXT.formatted("bl_t.small")))
                .isEqualTo(source.rowsAsText(AS_TEXT.formatted("public.small")));
    }

    @Test
    void anEmptyTargetOfOtherTypesTakesTheRowsAsText() {
        source.execute("CREATE TABLE public.small (id int PRIMARY KEY, name varchar(10), amount numeric(8,2))",
                "INSERT INTO public.small SELECT g, 'n' || g, g / 4.0 FROM generate_series(1, 300) g");
        target.execute("CREATE SCHEMA bl_t", "CREATE TABLE bl_t.small (id bigint PRIMARY KEY, name text, amount numeric)");

        load(2).run(List.of("public.small"), p -> { });

        assertThat(target.rowsAsText("SELECT id, name, amount FROM bl_t.small ORDER BY id"))
                .isEqualTo(source.rowsAsText("SELECT id, name, amount FROM public.small ORDER BY id"));
    }

    @Test
    void tablesTheLoadCannotCopyExactlyAreRefusedBeforeAnyWrite() {
        source.execute("CREATE TYPE mood AS ENUM ('sad', 'ok')",
                "CREATE TABLE public.keyless (id int, name text)",
                "CREATE TABLE public.moody (id int PRIMARY KEY, m mood)",
                "CREATE TABLE public.fine (id int PRIMARY KEY)", "INSERT INTO public.fine VALUES (1)");

        assertThatThrownBy(() -> load(2).run(List.of("public.fine", "public.keyless"), p -> { }))
                .hasMessageContaining("public.keyless: no primary key");
        assertThatThrownBy(() -> load(2).run(List.of("public.fine", "public.moody"), p -> { }))
                .hasMessageContaining("public.moody: columns of types that are not PostgreSQL's built-in ones: m mood");
        assertThatThrownBy(() -> load(2).run(List.of("public.fine", "public.gone"), p -> { }))
                .hasMessageContaining("public.gone: no such table in the source");
        assertThat(target.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'bl_t'")).isZero();
    }
}
