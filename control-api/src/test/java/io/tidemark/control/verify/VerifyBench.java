package io.tidemark.control.verify;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The verification benchmark ({@code bench/run --verify}; skipped unless {@code -Dtidemark.bench.verify=N}):
 * rows/s verified for an in-sync table of N rows beside a floor that scans both sides once, at the
 * same time ({@code count(*)} and a full read of every column), on this machine's PostgreSQL.
 */
class VerifyBench {

    private static final String TABLE = "(id bigint PRIMARY KEY, amount numeric(14,2), qty int, name varchar(60),"
            + " note text, created timestamp(6), flag boolean, ratio double precision)";
    private static final String ROWS = " SELECT g, g * 1.25, g % 1000, 'name ' || g, repeat('x', 20 + g % 50),"
            + " timestamp '2024-01-01' + g * interval '1 ms', g % 2 = 0, g / 7.0 FROM generate_series(1, %d) g";

    @Test
    void verifiesAnInSyncTableAgainstTheFloorOfScanningBothSidesOnce() throws Exception {
        String n = System.getProperty("tidemark.bench.verify");
        Assumptions.assumeTrue(n != null, "the verification benchmark runs from bench/run --verify");
        int rows = Integer.parseInt(n);
        try (PostgresTestDatabase source = PostgresTestDatabase.create("vbench_src");
             PostgresTestDatabase target = PostgresTestDatabase.create("vbench_tgt")) {
            source.execute("CREATE TABLE public.big " + TABLE, "INSERT INTO public.big" + ROWS.replace("%d",
                    Integer.toString(rows)), "VACUUM ANALYZE public.big");
            try (Connection c = target.connect()) {
                new ControlSchema("tm_b").ensure(c);
            }
            target.execute("CREATE SCHEMA b_t", "CREATE TABLE b_t.big " + TABLE, "INSERT INTO b_t.big"
                    + ROWS.replace("%d", Integer.toString(rows)), "VACUUM ANALYZE b_t.big",
                    "INSERT INTO tm_b.iteration (project, iteration, status, applied_at) VALUES ('b', 1, 'APPLIED', now())",
                    "INSERT INTO tm_b.table_state (project, source_table, target_table, topic, status, mode, iteration)"
                            + " VALUES ('b', 'public.big', 'b_t.big', 'b.public.big', 'RUNNING', 'FULL', 1)");
            scanBoth(source, target, "public.big", "b_t.big"); // warm both caches alike
            long floorNanos = scanBoth(source, target, "public.big", "b_t.big");
            Verifier v = new Verifier(settings(target), settings(source), "tm_b", "b");
            long started = System.nanoTime();
            Verifier.Result r = v.run(Verifier.Options.defaults(), line -> { }, new AtomicBoolean());
            long verifyNanos = System.nanoTime() - started;
            if (!"IN_SYNC".equals(r.status())) {
                throw new AssertionError("the benchmark's tables should be in sync: " + r.message());
            }
            double floor = rows / (floorNanos / 1e9);
            double verified = rows / (verifyNanos / 1e9);
            System.out.printf("verify  n=%,d  floor (count(*) + full read, both sides at once) %.2f s = %,.0f rows/s"
                    + "  verify %.2f s = %,.0f rows/s  ratio %.2f (goal >= 0.5)  ranges %d%n", rows, floorNanos / 1e9,
                    floor, verifyNanos / 1e9, verified, verified / floor, r.tables().get(0).ranges());
            long one = System.nanoTime();
            Verifier.Options d = Verifier.Options.defaults();
            target.execute("UPDATE b_t.big SET qty = qty + 1 WHERE id = 424242 % " + rows);
            Verifier.Result diff = v.run(new Verifier.Options(List.of(), null, true, d.rangeRows(), d.rowThreshold(),
                    d.cap(), d.parallel(), Duration.ZERO), line -> { }, new AtomicBoolean());
            System.out.printf("verify  one difference found in %.2f s (%s)%n", (System.nanoTime() - one) / 1e9,
                    diff.message());
        }
    }

    private static DatabaseSettings settings(PostgresTestDatabase db) {
        return new DatabaseSettings(db.jdbcUrl(), db.user(), db.password());
    }

    /** count(*) and a full read of every column, on both sides at once; the slower side's time. */
    private static long scanBoth(PostgresTestDatabase source, PostgresTestDatabase target, String s, String t)
            throws Exception {
        long started = System.nanoTime();
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> scan(source, s));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> scan(target, t));
        a.join();
        b.join();
        return System.nanoTime() - started;
    }

    private static void scan(PostgresTestDatabase db, String table) {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
            }
            long sum = 0;
            try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        Object o = rs.getObject(i);
                        sum += o == null ? 0 : 1;
                    }
                }
            }
            if (sum < 0) {
                throw new IllegalStateException();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
