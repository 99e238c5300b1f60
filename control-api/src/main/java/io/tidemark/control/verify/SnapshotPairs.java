package io.tidemark.control.verify;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.tidemark.control.project.DatabaseSettings;

/**
 * A few (target, source) connection pairs that all see the same moment: the target's in one
 * exported {@code REPEATABLE READ} snapshot (every FULL table at one applied iteration, the ledger
 * with them), a PostgreSQL source's in one exported snapshot too, an Oracle source's as of marker
 * N's SCN (flashback, in each query). The pairs are the throttle: ranges run on at most that many.
 */
final class SnapshotPairs implements AutoCloseable {

    /** Work on one pair. */
    @FunctionalInterface
    interface PairJob<T> {
        T run(Connection target, Connection source) throws SQLException;
    }

    private final List<Connection> all = new ArrayList<>();
    private final BlockingQueue<Connection[]> free;
    private final ExecutorService pool;
    private final boolean oracle;
    private Long scn;

    SnapshotPairs(DatabaseSettings target, DatabaseSettings source, int size) throws SQLException {
        this.oracle = source.isOracle();
        this.free = new ArrayBlockingQueue<>(size);
        this.pool = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "tidemark-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            String targetSnapshot = null;
            String sourceSnapshot = null;
            for (int i = 0; i < size; i++) {
                Connection t = open(target);
                targetSnapshot = begin(t, targetSnapshot);
                Connection s = open(source);
                if (!oracle) {
                    sourceSnapshot = begin(s, sourceSnapshot);
                }
                free.add(new Connection[] {t, s});
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    SideSql sourceSql() {
        return oracle ? SideSql.ORACLE : SideSql.POSTGRES;
    }

    boolean oracle() {
        return oracle;
    }

    /** Marker N's SCN, for an Oracle source read as of it; null for a source read as it is. */
    Long scn() {
        return scn;
    }

    void pinTo(Long sourceScn) {
        this.scn = oracle ? sourceScn : null;
    }

    <T> T call(PairJob<T> job) throws SQLException {
        Connection[] pair = take();
        try {
            return job.run(pair[0], pair[1]);
        } catch (SQLException e) {
            throw Flashback.explain(e);
        } finally {
            free.add(pair);
        }
    }

    <T> CompletableFuture<T> submit(PairJob<T> job) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call(job);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, pool);
    }

    static <T> T join(CompletableFuture<T> f) throws SQLException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        }
    }

    private Connection[] take() {
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(new SQLException("the verification was cancelled"));
        }
    }

    private Connection open(DatabaseSettings db) throws SQLException {
        Connection c = Sessions.open(db);
        all.add(c);
        return c;
    }

    /** Starts a read-only REPEATABLE READ transaction; the first exports its snapshot, the others import it. */
    private static String begin(Connection c, String snapshot) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        try (Statement st = c.createStatement()) {
            if (snapshot != null) {
                st.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
                return snapshot;
            }
            try (ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a connection that failed: nothing more to do
            }
        }
    }
}
