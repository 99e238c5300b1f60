package io.tidemark.quickstart.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The demo's data: a seed (the initial snapshot, iteration 0), then a small live workload, one
 * transaction every {@link #TICK}: a new order with its lines, a status change, now and then a
 * customer moving, a new customer, an order deleted with its lines. The statements are plain SQL
 * that PostgreSQL and Oracle both take.
 */
public final class Workload implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(250);
    private static final String[] CITIES = {"Lisbon", "Oslo", "Leeds", "Lyon", "Graz", "Turku", "Porto", "Ghent"};
    private static final String[] STATUSES = {"NEW", "PAID", "SHIPPED"};
    private static final int CUSTOMERS = 200;
    private static final int PRODUCTS = 40;
    private static final int ORDERS = 400;

    private final DemoDialect sql;
    private final Random random = new Random(42);
    private final List<Long> orders = new ArrayList<>();
    private final AtomicLong changes = new AtomicLong();
    private long nextCustomer = CUSTOMERS + 1;
    private long nextOrder = ORDERS + 1;
    private Thread thread;
    private volatile boolean running;

    public Workload(DemoDialect sql) {
        this.sql = sql;
    }

    /** Fills the empty tables; returns the rows written. */
    public long seed(Connection c) throws SQLException {
        c.setAutoCommit(false);
        long rows = 0;
        try (PreparedStatement customer = insertCustomer(c); PreparedStatement product = c.prepareStatement(
                "INSERT INTO " + sql.table("products") + " (id, name, price) VALUES (?, ?, ?)")) {
            for (long id = 1; id <= CUSTOMERS; id++) {
                bindCustomer(customer, id);
                customer.addBatch();
            }
            for (long id = 1; id <= PRODUCTS; id++) {
                product.setLong(1, id);
                product.setString(2, "product " + id);
                product.setBigDecimal(3, price());
                product.addBatch();
            }
            rows += customer.executeBatch().length + product.executeBatch().length;
        }
        try (PreparedStatement order = insertOrder(c); PreparedStatement line = insertLine(c)) {
            for (long id = 1; id <= ORDERS; id++) {
                bindOrder(order, line, id);
                order.addBatch();
                orders.add(id);
            }
            rows += order.executeBatch().length + line.executeBatch().length;
        }
        c.commit();
        return rows;
    }

    /** Starts the live workload on a thread of its own; a failed transaction is reported and the next one tried. */
    public void start(ConnectionSource connections, Consumer<String> report) {
        running = true;
        thread = new Thread(() -> {
            Connection c = null;
            long tick = 0;
            while (running) {
                try {
                    if (c == null) {
                        c = connections.open();
                        c.setAutoCommit(false);
                    }
                    changes.addAndGet(transaction(c, ++tick));
                    c.commit();
                } catch (SQLException e) {
                    report.accept("workload transaction failed, trying again: " + e.getMessage());
                    close(c);
                    c = null;
                }
                sleep();
            }
            close(c);
        }, "tidemark-quickstart-workload");
        thread.setDaemon(true);
        thread.start();
    }

    /** Rows the live workload changed so far. */
    public long changes() {
        return changes.get();
    }

    private int transaction(Connection c, long tick) throws SQLException {
        int n = 0;
        long id = nextOrder++;
        try (PreparedStatement order = insertOrder(c); PreparedStatement line = insertLine(c)) {
            n += bindOrder(order, line, id);
            n += order.executeUpdate();
            line.executeBatch();
        }
        orders.add(id);
        try (PreparedStatement status = c.prepareStatement("UPDATE " + sql.table("orders") + " SET status = ? WHERE id = ?")) {
            status.setString(1, STATUSES[random.nextInt(STATUSES.length)]);
            status.setLong(2, orders.get(random.nextInt(orders.size())));
            n += status.executeUpdate();
        }
        if (tick % 3 == 0) {
            try (PreparedStatement move = c.prepareStatement("UPDATE " + sql.table("customers") + " SET city = ? WHERE id = ?")) {
                move.setString(1, CITIES[random.nextInt(CITIES.length)]);
                move.setLong(2, 1 + random.nextInt((int) nextCustomer - 1));
                n += move.executeUpdate();
            }
        }
        if (tick % 7 == 0) {
            try (PreparedStatement customer = insertCustomer(c)) {
                bindCustomer(customer, nextCustomer++);
                n += customer.executeUpdate();
            }
        }
        if (tick % 5 == 0 && orders.size() > 10) {
            long gone = orders.remove(random.nextInt(orders.size() - 1));
            try (PreparedStatement lines = c.prepareStatement("DELETE FROM " + sql.table("order_lines") + " WHERE order_id = ?");
                 PreparedStatement order = c.prepareStatement("DELETE FROM " + sql.table("orders") + " WHERE id = ?")) {
                lines.setLong(1, gone);
                order.setLong(1, gone);
                n += lines.executeUpdate() + order.executeUpdate();
            }
        }
        return n;
    }

    private PreparedStatement insertCustomer(Connection c) throws SQLException {
        return c.prepareStatement("INSERT INTO " + sql.table("customers") + " (id, name, email, city, created_at) VALUES (?, ?, ?, ?, ?)");
    }

    private void bindCustomer(PreparedStatement ps, long id) throws SQLException {
        ps.setLong(1, id);
        ps.setString(2, "customer " + id);
        ps.setString(3, "customer" + id + "@example.com");
        ps.setString(4, CITIES[random.nextInt(CITIES.length)]);
        ps.setTimestamp(5, new Timestamp(System.currentTimeMillis()));
    }

    private PreparedStatement insertOrder(Connection c) throws SQLException {
        return c.prepareStatement("INSERT INTO " + sql.table("orders") + " (id, customer_id, status, total, ordered_at) VALUES (?, ?, ?, ?, ?)");
    }

    private PreparedStatement insertLine(Connection c) throws SQLException {
        return c.prepareStatement("INSERT INTO " + sql.table("order_lines")
                + " (order_id, line_no, product_id, quantity, price) VALUES (?, ?, ?, ?, ?)");
    }

    /** Binds an order and batches its 1 to 3 lines; returns the number of lines. */
    private int bindOrder(PreparedStatement order, PreparedStatement line, long id) throws SQLException {
        int lines = 1 + random.nextInt(3);
        BigDecimal total = BigDecimal.ZERO;
        for (int no = 1; no <= lines; no++) {
            BigDecimal price = price();
            int quantity = 1 + random.nextInt(5);
            line.setLong(1, id);
            line.setInt(2, no);
            line.setLong(3, 1 + random.nextInt(PRODUCTS));
            line.setInt(4, quantity);
            line.setBigDecimal(5, price);
            line.addBatch();
            total = total.add(price.multiply(BigDecimal.valueOf(quantity)));
        }
        order.setLong(1, id);
        order.setLong(2, 1 + random.nextInt(CUSTOMERS));
        order.setString(3, "NEW");
        order.setBigDecimal(4, total);
        order.setTimestamp(5, new Timestamp(System.currentTimeMillis()));
        return lines;
    }

    private BigDecimal price() {
        return BigDecimal.valueOf(100 + random.nextInt(99_900), 2);
    }

    private static void sleep() {
        try {
            Thread.sleep(TICK.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the connection is gone anyway
            }
        }
    }

    /** Stops the workload and waits (bounded) for its last transaction. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Where the workload's connection comes from. */
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }
}
