package io.tidemark.control.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The verification on two real PostgreSQL databases, a source and a target holding the same rows
 * of every type family the sink maps, with the control schema the sink would have written (iteration
 * 7 applied, one FULL table): identical tables are in sync; each difference injected into the target
 * is found with its key and column.
 */
class VerifierTest {

    private static final String COLUMNS = "id int PRIMARY KEY, i bigint, n numeric(12,3), nv numeric, f double precision,"
            + " r real, v varchar(20), c char(5), t text, b bytea, d date, ts timestamp(6), tz timestamptz, tm time,"
            + " iv interval, ok boolean, u uuid, j jsonb";
    private static final String ROWS = "INSERT INTO %s SELECT g, g::bigint * 1000000007, g + 0.125, 1.50, g / 3.0, g / 7.0,"
            + " 'v' || g, 'c' || (g % 10), repeat('lob ' || g, 500), decode(md5(g::text), 'hex'), date '2024-02-29' + g,"
            + " timestamp '2024-01-01 00:00:00.123456' + g * interval '1 minute', timestamptz '2024-06-01 10:00+02' + g * interval '1 s',"
            + " time '12:34:56.000007', g * interval '1 day 1.5 s', g % 2 = 0, md5(g::text)::uuid,"
            + " jsonb_build_object('g', g) FROM generate_series(1, 3000) g";

    /** Row 26 holds a NULL text on both sides: the target's '' must differ from it. */
    private static final String NULL_26 = "UPDATE %s SET v = NULL WHERE id = 26";

    private static PostgresTestDatabase source;
    private static PostgresTestDatabase target;

    @BeforeAll
    static void create() throws Exception {
        source = PostgresTestDatabase.create("verify_src");
        target = PostgresTestDatabase.create("verify_tgt");
        source.execute("CREATE TABLE public.items (" + COLUMNS + ")", ROWS.replace("%s", "public.items"),
                NULL_26.replace("%s", "public.items"),
                "CREATE TABLE public.nokey (a int, s text)", "INSERT INTO public.nokey SELECT g % 10, 'x' FROM generate_series(1, 50) g");
        try (Connection c = target.connect()) {
            new ControlSchema("tm_v").ensure(c);
        }
        target.execute("CREATE SCHEMA shop_t", "CREATE TABLE shop_t.items (" + COLUMNS + ")",
                ROWS.replace("%s", "shop_t.items"), NULL_26.replace("%s", "shop_t.items"),
                "CREATE TABLE shop_t.nokey (a int, s text)",
                "INSERT INTO shop_t.nokey SELECT g % 10, 'x' FROM generate_series(1, 50) g",
                "INSERT INTO tm_v.iteration (project, iteration, status, source_position, marker_created_at, applied_at)"
                        + " VALUES ('shop', 7, 'APPLIED', '0/16B3748', now(), now())",
                "INSERT INTO tm_v.table_state (project, source_table, target_table, topic, status, mode, iteration)"
                        + " VALUES ('shop', 'public.items', 'shop_t.items', 'shop.public.items', 'RUNNING', 'FULL', 7),"
                        + " ('shop', 'public.nokey', 'shop_t.nokey', 'shop.public.nokey', 'RUNNING', 'PARTIAL', 7)");
    }

    @AfterAll
    static void drop() {
        target.close();
        source.close();
    }

    private static Verifier.Result verify(String... tables) throws Exception {
        Verifier v = new Verifier(settings(target), settings(source), "tm_v", "shop");
        Verifier.Options d = Verifier.Options.defaults();
        // Small ranges so that bisection runs; a short confirm wait: no pipeline runs here.
        Verifier.Options o = new Verifier.Options(List.of(tables), null, false, 700, 50, d.cap(), 2,
                java.time.Duration.ofMillis(300));
        List<String> lines = new ArrayList<>();
        Verifier.Result r = v.run(o, lines::add, new AtomicBoolean());
        lines.forEach(System.out::println);
        return r;
    }

    static DatabaseSettings settings(PostgresTestDatabase db) {
        return new DatabaseSettings(db.jdbcUrl(), db.user(), db.password());
    }

    @Test
    void identicalTablesOfEveryTypeFamilyAreInSyncAndMarkedVerified() throws Exception {
        Verifier.Result r = verify();
        assertThat(r.status()).isEqualTo("IN_SYNC");
        assertThat(r.iteration()).isEqualTo(7L);
        TableResult items = r.tables().get(0);
        assertThat(items.sourceRows()).isEqualTo(3000);
        assertThat(items.ranges()).isGreaterThan(3);
        assertThat(items.note()).isNull();
        assertThat(r.tables().get(1).note()).contains("no key");
        assertThat(target.query("SELECT source_table, iteration FROM tm_v.verify_mark ORDER BY 1"))
                .extracting(m -> m.get("source_table") + "@" + m.get("iteration"))
                .containsExactly("public.items@7", "public.nokey@7");
    }

    @Test
    void eachInjectedDifferenceIsFoundWithItsKeyAndColumn() throws Exception {
        Map<String, String> injected = new java.util.LinkedHashMap<>();
        injected.put("DELETE FROM shop_t.items WHERE id = 11", "11 MISSING");
        injected.put("INSERT INTO shop_t.items (id) VALUES (9001)", "9001 EXTRA");
        injected.put("UPDATE shop_t.items SET i = i + 1 WHERE id = 21", "21 [i]");
        injected.put("UPDATE shop_t.items SET n = 22.12 WHERE id = 22", "22 [n]");
        injected.put("UPDATE shop_t.items SET nv = 1.5 WHERE id = 23", "23 [nv]");
        injected.put("UPDATE shop_t.items SET f = f + 1e-12 WHERE id = 24", "24 [f]");
        injected.put("UPDATE shop_t.items SET r = 0 WHERE id = 25", "25 [r]");
        injected.put("UPDATE shop_t.items SET v = '' WHERE id = 26", "26 [v]");
        injected.put("UPDATE shop_t.items SET v = NULL WHERE id = 27", "27 [v]");
        injected.put("UPDATE shop_t.items SET c = ' c7' WHERE id = 1027", "1027 [c]");
        injected.put("UPDATE shop_t.items SET t = overlay(t placing 'X' from 1000 for 1) WHERE id = 29", "29 [t]");
        injected.put("UPDATE shop_t.items SET t = NULL WHERE id = 30", "30 [t]");
        injected.put("UPDATE shop_t.items SET b = '\\x00' WHERE id = 31", "31 [b]");
        injected.put("UPDATE shop_t.items SET d = d + 1 WHERE id = 32", "32 [d]");
        injected.put("UPDATE shop_t.items SET ts = date_trunc('milliseconds', ts) WHERE id = 33", "33 [ts]");
        injected.put("UPDATE shop_t.items SET tz = tz + interval '1 hour' WHERE id = 34", "34 [tz]");
        injected.put("UPDATE shop_t.items SET iv = iv + interval '1 microsecond' WHERE id = 35", "35 [iv]");
        injected.put("UPDATE shop_t.items SET ok = NOT ok WHERE id = 36", "36 [ok]");
        injected.put("UPDATE shop_t.items SET j = '{\"g\": 0}' WHERE id = 37", "37 [j]");
        injected.put("UPDATE shop_t.items SET tm = '12:34:56' WHERE id = 38", "38 [tm]");
        injected.put("UPDATE shop_t.items SET u = NULL WHERE id = 39", "39 [u]");
        target.execute(injected.keySet().toArray(String[]::new));
        try {
            Verifier.Result r = verify("public.items");
            assertThat(r.status()).isEqualTo("DIFFERENT");
            TableResult items = r.tables().get(0);
            assertThat(items.differenceCount()).isEqualTo(injected.size());
            assertThat(items.differences()).extracting(d -> d.key().get(0) + " "
                    + ("DIFFERENT".equals(d.kind()) ? d.columns().toString() : d.kind()))
                    .containsExactlyInAnyOrderElementsOf(injected.values());
            assertThat(items.differences()).filteredOn(d -> d.key().get(0).equals("22")).singleElement()
                    .satisfies(d -> assertThat(d.sourceValues() + " " + d.targetValues()).isEqualTo("[22.125] [22.120]"));
            assertThat(target.count("SELECT count(*) FROM tm_v.verify_difference WHERE run_id = " + r.run()))
                    .isEqualTo(injected.size());
        } finally {
            target.execute("TRUNCATE shop_t.items", ROWS.replace("%s", "shop_t.items"),
                    NULL_26.replace("%s", "shop_t.items"));
        }
    }
}
