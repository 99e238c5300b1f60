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
import java.util.concurrent.atomic.AtomicInteger;

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
     * Reads the total of x and y in a target schema in one statement (one snapshot), from the moment
     * the snapshot iteration is complete in the control schema, until stopped; counts the reads and
     * returns every total that is not the one.
     */
    List<Long> watchTotals(PostgresTestDatabase target, String schema, String controlSchema, AtomicBoolean stop,
                           AtomicInteger reads) {
        List<Long> wrong = new CopyOnWriteArrayList<>();
        String sql = "SELECT (SELECT coalesce(sum(balance), 0) FROM " + schema + ".x) + (SELECT coalesce(sum(balance), 0)"
                + " FROM " + schema + ".y) AS total, (SELECT count(*) FROM " + schema + ".x) + (SELECT count(*) FROM "
                + schema + ".y) AS n, (SELECT count(*) FROM " + controlSchema + ".iteration WHERE iteration = 0"
                + " AND status = 'APPLIED') AS ready";
        try (Connection c = target.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            while (!stop.get()) {
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong("ready") == 1 && rs.getLong("n") == 2L * accounts) {
                        reads.incrementAndGet();
                        long total = rs.getLong("total");
                        if (total != total()) {
                            wrong.add(total);
                        }
                    }
                } catch (SQLException e) {
                    // the tables are not there yet (each statement is its own transaction)
                }
                Thread.sleep(5);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return wrong;
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
