package io.tidemark.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The invariant of the FULL mode tests: two account tables {@code public.x} and {@code public.y} in
 * a source database, money moved between a row of each in one source transaction (so their total
 * never changes), and a reader of the target that keeps every total it sees that is not the one.
 */
final class AccountTransfers {

    private final int accounts;
    private final long startBalance;

    AccountTransfers(int accounts, long startBalance) {
        this.accounts = accounts;
        this.startBalance = startBalance;
    }

    long total() {
        return 2L * accounts * startBalance;
    }

    void createIn(PostgresTestDatabase source) {
        source.execute("CREATE TABLE public.x (id int PRIMARY KEY, balance bigint NOT NULL)",
                "CREATE TABLE public.y (id int PRIMARY KEY, balance bigint NOT NULL)",
                "INSERT INTO public.x SELECT g, " + startBalance + " FROM generate_series(1, " + accounts + ") g",
                "INSERT INTO public.y SELECT g, " + startBalance + " FROM generate_series(1, " + accounts + ") g");
    }

    /** Moves money between a random row of x and one of y, a transaction each, until stopped; returns how many. */
    int transfer(PostgresTestDatabase source, long seed, AtomicBoolean stop) {
        Random random = new Random(seed);
        int transfers = 0;
        try (Connection c = source.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement x = c.prepareStatement("UPDATE public.x SET balance = balance + ? WHERE id = ?");
                 PreparedStatement y = c.prepareStatement("UPDATE public.y SET balance = balance + ? WHERE id = ?")) {
                while (!stop.get()) {
                    long amount = 1 + random.nextInt(50);
                    boolean toX = random.nextBoolean();
                    x.setLong(1, toX ? amount : -amount);
                    x.setInt(2, 1 + random.nextInt(accounts));
                    y.setLong(1, toX ? -amount : amount);
                    y.setInt(2, 1 + random.nextInt(accounts));
                    x.executeUpdate();
                    y.executeUpdate();
                    c.commit();
                    transfers++;
                    Thread.sleep(5);
                }
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return transfers;
    }

    /**
     * What a reader of the target saw: reads it could check, reads before the snapshot iteration
     * was applied (nothing to check yet), and — after that — every read it could not interpret
     * (a failed statement, rows missing or more, the snapshot iteration gone) and every total that
     * is not the one. A test asserts the last two empty: no read is silently dropped.
     */
    record Totals(int checked, int beforeSnapshot, List<String> uninterpretable, List<Long> wrong) {
        @Override
        public String toString() {
            return checked + " reads checked (" + beforeSnapshot + " before the snapshot iteration), "
                    + uninterpretable.size() + " not interpretable, " + wrong.size() + " with another total";
        }
    }

    /**
     * Reads the total of x and y in a target schema in one statement (one snapshot) until
     * stopped. Until the control schema shows the snapshot iteration applied the tables may be
     * missing or partial, so those reads only count as {@code beforeSnapshot}; from then on each
     * read is checked or recorded as not interpretable.
     */
    Totals watchTotals(PostgresTestDatabase target, String schema, String controlSchema, AtomicBoolean stop) {
        List<Long> wrong = new CopyOnWriteArrayList<>();
        List<String> uninterpretable = new CopyOnWriteArrayList<>();
        int checked = 0;
        int before = 0;
        boolean ready = false;
        String sql = "SELECT (SELECT coalesce(sum(balance), 0) FROM " + schema + ".x) + (SELECT coalesce(sum(balance), 0)"
                + " FROM " + schema + ".y) AS total, (SELECT count(*) FROM " + schema + ".x) + (SELECT count(*) FROM "
                + schema + ".y) AS n, (SELECT count(*) FROM " + controlSchema + ".iteration WHERE iteration = 0"
                + " AND status = 'APPLIED') AS ready";
        try (Connection c = target.connect()) {
            while (!stop.get()) {
                try (PreparedStatement ps = c.prepareStatement(sql); var rs = ps.executeQuery()) {
                    rs.next();
                    boolean applied = rs.getLong("ready") == 1;
                    if (!ready && !applied) {
                        before++;
                    } else if (!applied) {
                        uninterpretable.add("the snapshot iteration is no longer APPLIED");
                    } else if (rs.getLong("n") != 2L * accounts) {
                        ready = true;
                        uninterpretable.add(rs.getLong("n") + " accounts instead of " + 2L * accounts);
                    } else {
                        ready = true;
                        checked++;
                        long total = rs.getLong("total");
                        if (total != total()) {
                            wrong.add(total);
                        }
                    }
                } catch (SQLException e) {
                    if (ready) {
                        uninterpretable.add(e.getMessage());
                    } else {
                        before++; // the tables are not there yet (each statement is its own transaction)
                    }
                }
                Thread.sleep(5);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return new Totals(checked, before, uninterpretable, wrong);
    }

    /** Every account of x and y in a schema, by table and id, with its balance. */
    static Map<String, Long> balances(PostgresTestDatabase db, String schema) {
        Map<String, Long> all = new TreeMap<>();
        for (String table : List.of("x", "y")) {
            db.query("SELECT id, balance FROM " + schema + "." + table).forEach(r ->
                    all.put(table + r.get("id"), ((Number) r.get("balance")).longValue()));
        }
        return all;
    }
}
