package io.tidemark.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * End to end through Connect: one contender drains the workload's topic into a fresh database,
 * timed from the connector's creation to the moment every record is applied.
 */
final class ConnectBench {

    /**
     * A timed run; {@code verified} is null for the floor.
     *
     * @param usage where the machine's CPU went during the run ({@link MachineCpu})
     */
    record Run(Contender contender, int tasks, long records, double seconds, MachineCpu.Usage usage,
               Verifier.Result verified, String flushes) {
        String cpu() {
            return MachineCpu.format(usage);
        }

        double rowsPerSecond() {
            return records / seconds;
        }
    }

    private final ConnectTestCluster cluster;
    private final Contender.Settings settings;
    private int counter;

    ConnectBench(ConnectTestCluster cluster, Contender.Settings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    /** @param verifier null: no verification (the warm-up) */
    Run run(Contender contender, Workload workload, Verifier verifier, String topic, String tableName, int tasks,
            BenchConverter converter) throws Exception {
        return run(contender, workload, verifier, topic, tableName, tasks, converter, Map.of(), null);
    }

    /**
     * @param extra     configuration on top of the contender's (e.g. {@code consistency.mode})
     * @param applyMs   when not null, receives the iterations' apply latency from Tidemark's ledger
     */
    Run run(Contender contender, Workload workload, Verifier verifier, String topic, String tableName, int tasks,
            BenchConverter converter, Map<String, String> extra, java.util.List<Long> applyMs) throws Exception {
        String name = contender.label() + "-" + workload.name + "-" + converter.label() + "-" + tasks + "-" + (++counter);
        try (PostgresTestDatabase db = PostgresTestDatabase.create("bench_" + contender.label())) {
            Map<String, String> config = contender.connectorConfig(db, topic, tableName, tasks, settings, converter);
            config.putAll(extra);
            String target = contender.targetTable(tableName);
            SinkBench.settle();
            MachineCpu.Snapshot before = MachineCpu.now();
            long start = System.nanoTime();
            cluster.connect().configureConnector(name, config);
            if (contender == Contender.FLOOR) {
                awaitFloor(name, workload.records());
            } else {
                awaitApplied(db, target, workload, () -> failure(name));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            MachineCpu.Usage usage = MachineCpu.usage(before, MachineCpu.now());
            Verifier.Result result = null;
            if (verifier != null && target != null) {
                result = verifyEventually(db, target, verifier);
            }
            if (applyMs != null) {
                // From the first marker of an iteration a sink task saw to the iteration complete in the target.
                db.query("SELECT apply_ms FROM tidemark.iteration WHERE iteration >= 1 AND apply_ms IS NOT NULL")
                        .forEach(r -> applyMs.add(((Number) r.get("apply_ms")).longValue()));
            }
            String flushes = contender == Contender.TIDEMARK ? flushes(name, tasks, workload.records()) : null;
            cluster.connect().deleteConnector(name);
            awaitGone(name);
            return new Run(contender, tasks, workload.records(), seconds, usage, result, flushes);
        }
    }

    static void awaitFloor(String name, long records) throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (FloorSinkTask.received(name) < records) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the floor sink did not receive " + records + " records in 10 minutes");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Every partition's sentinel (its last record) present, then the expected number of rows: only
     * true once everything is applied. The poll runs 20 times a second beside the contender, so it
     * must cost next to nothing: the sentinels are looked up by key (an index probe each). A range
     * condition ({@code id >= base}) let the planner, without statistics on a table that grows
     * during the run, choose a sequential scan: up to 85 ms of PostgreSQL's CPU per poll at 200,000
     * rows, more as the table grew, taken from the contender under test (and not from the floor,
     * which polls a counter in memory).
     */
    static void awaitApplied(PostgresTestDatabase db, String target, Workload workload,
                             java.util.function.Supplier<String> failure) throws Exception {
        long deadline = System.nanoTime() + 1_200_000_000_000L;
        int polls = 0;
        StringBuilder sentinels = new StringBuilder();
        for (int p = 0; p < workload.partitions; p++) {
            sentinels.append(p == 0 ? "" : ", ").append(Workload.SENTINEL_BASE + p);
        }
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            // The count must not start parallel workers on the contenders' cores.
            st.execute("SET max_parallel_workers_per_gather = 0");
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(target + " did not reach the expected state in 20 minutes");
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + target + " WHERE id IN ("
                        + sentinels + ")")) {
                    rs.next();
                    if (rs.getLong(1) == workload.partitions) {
                        try (ResultSet all = st.executeQuery("SELECT count(*) FROM " + target)) {
                            all.next();
                            if (all.getLong(1) == workload.expectedRows()) {
                                return;
                            }
                        }
                    }
                } catch (SQLException e) {
                    if (!"42P01".equals(e.getSQLState())) { // the table does not exist yet
                        throw e;
                    }
                }
                String failed = ++polls % 20 == 0 ? failure.get() : null; // about once a second
                if (failed != null) {
                    throw new IllegalStateException(failed);
                }
                Thread.sleep(50);
            }
        }
    }

    /** The trace of a failed connector or task, or null while it runs. */
    private String failure(String name) {
        var info = cluster.statusOrNull(name);
        if (info == null) {
            return null;
        }
        if ("FAILED".equals(info.connector().state())) {
            return name + " failed: " + info.connector().trace();
        }
        for (var task : info.tasks()) {
            if ("FAILED".equals(task.state())) {
                return name + " task " + task.id() + " failed: " + task.trace();
            }
        }
        return null;
    }

    /**
     * Verifies; a mismatch is looked at again for a few seconds, since a sink that commits one
     * batch in several transactions could have been caught between two (then its time was
     * measured too short, in its favour, and the output says so).
     */
    static Verifier.Result verifyEventually(PostgresTestDatabase db, String target, Verifier verifier)
            throws Exception {
        Verifier.Result result = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try (Connection c = db.connect()) {
                result = verifier.verify(c, target);
            }
            if (result.ok()) {
                if (attempt > 0) {
                    System.out.println("  note: " + target + " matched only after " + attempt
                            + " more look(s): its time was measured before it had applied everything");
                }
                return result;
            }
            Thread.sleep(1_000);
        }
        return result;
    }

    /**
     * Tidemark's flushes and rows per flush, from its task metrics in this JVM's JMX. A flush counts
     * once its task has taken the outcome back (at its next put), so the last one may come a moment
     * after the rows are visible: wait for every record, briefly.
     */
    static String flushes(String name, int tasks, long records) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        long[] flushes = new long[tasks];
        long carried = 0;
        for (int look = 0; look < 40 && carried < records; look++) {
            carried = 0;
            for (int t = 0; t < tasks; t++) {
                ObjectName task = new ObjectName("kafka.connect:type=plugins,connector=" + name + ",task=" + t);
                flushes[t] = ((Number) jmx.getAttribute(task, "tidemark-flushes-total")).longValue();
                carried += ((Number) jmx.getAttribute(task, "tidemark-records-total")).longValue();
            }
            Thread.sleep(look == 0 ? 0 : 50);
        }
        long all = Arrays.stream(flushes).sum();
        return String.format(Locale.ROOT, "flushes=%d rows_per_flush=%d (per task: %s)", all,
                all == 0 ? 0 : carried / all, Arrays.toString(flushes));
    }

    private void awaitGone(String name) throws InterruptedException {
        for (int i = 0; i < 200 && cluster.statusOrNull(name) != null; i++) {
            Thread.sleep(50);
        }
    }
}
