package io.tidemark.it.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writer threads that change several tables concurrently, each transaction touching one to three
 * rows in random tables: inserts of new rows, updates of pre-existing ones, deletes of rows they
 * inserted. The tables need columns {@code id} (primary key), {@code writer}, {@code n} and
 * {@code note}; ids from {@link #FIRST_NEW_ID} up are theirs, lower ids are the pre-existing rows.
 */
final class ConcurrentWriters implements AutoCloseable {

    static final int FIRST_NEW_ID = 1_000_000;

    @FunctionalInterface
    interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private final ConnectionFactory connections;
    private final List<String> tables;
    private final int preExistingRows;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger nextId = new AtomicInteger(FIRST_NEW_ID);
    private final AtomicLong commits = new AtomicLong();
    private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private int writers;

    ConcurrentWriters(ConnectionFactory connections, List<String> tables, int preExistingRows) {
        this.connections = connections;
        this.tables = tables;
        this.preExistingRows = preExistingRows;
    }

    ConcurrentWriters start(int writers) {
        this.writers = writers;
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread thread = new Thread(() -> run(writer), "test-writer-" + w);
            thread.start();
            threads.add(thread);
        }
        return this;
    }

    long commits() {
        return commits.get();
    }

    private void run(int writer) {
        Random random = new Random(writer);
        List<int[]> mine = new ArrayList<>(); // {table index, id} of rows this writer inserted and has not deleted
        try (Connection c = connections.open()) {
            c.setAutoCommit(false);
            while (running.get()) {
                int statements = 1 + random.nextInt(3);
                for (int s = 0; s < statements; s++) {
                    int table = random.nextInt(tables.size());
                    int dice = random.nextInt(10);
                    if (dice < 6 || mine.isEmpty()) {
                        int id = nextId.getAndIncrement();
                        update(c, "INSERT INTO " + tables.get(table) + " (id, writer, n, note) VALUES (?, ?, 0, 'new')", id, writer);
                        mine.add(new int[] {table, id});
                    } else if (dice < 9 && preExistingRows >= writers) {
                        // Each writer updates its own share of the pre-existing rows: no lock waits, no deadlocks.
                        int id = 1 + writer + writers * random.nextInt(preExistingRows / writers);
                        update(c, "UPDATE " + tables.get(table) + " SET n = n + 1, writer = ? WHERE id = ?", writer, id);
                    } else {
                        int[] row = mine.remove(random.nextInt(mine.size()));
                        update(c, "DELETE FROM " + tables.get(row[0]) + " WHERE id = ?", row[1]);
                    }
                }
                c.commit();
                commits.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(2 + random.nextInt(10));
            }
        } catch (Exception e) {
            errors.add(e);
        }
    }

    private static void update(Connection c, String sql, int... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setInt(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    /** Stops the writers and fails if one of them failed. */
    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the test writers", e);
            }
        }
        if (!errors.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("a test writer failed: " + errors.peek(), errors.peek());
            errors.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
