package io.tidemark.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.tidemark.control.load.BulkLoad;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.sink.SinkPrecheck;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.avro.AvroConverters;

/**
 * The initial load from an empty start: one large source table snapshotted by Debezium's
 * PostgreSQL connector (with {@code snapshot.max.threads}: Debezium 3.6 splits a table into chunks
 * across its snapshot threads) through Kafka into Tidemark's sink, timed from the source
 * connector's creation to the last row applied; beside it {@code pg_dump | psql} of the same table
 * on the same machine. While it runs, a progress line every few seconds: rows read (Debezium's
 * snapshot metrics over JMX), rows applied (the sink's committed offsets), rows per second, and the
 * ETA from the source's row estimate.
 */
final class LoadBench {

    private static final String TABLE = "big";

    private final ConnectTestCluster cluster;
    private final FlowBench flow;

    LoadBench(ConnectTestCluster cluster, FlowBench flow) {
        this.cluster = cluster;
        this.flow = flow;
    }

    List<String> run(int rows, List<Integer> threads, boolean avro) throws Exception {
        List<String> lines = new ArrayList<>();
        try (SourceServer source = SourceServer.start(Integer.parseInt(System.getProperty("bench.source.port", "5499")))) {
            try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
                createTable(st, TABLE, rows);
                st.execute("VACUUM ANALYZE " + TABLE);
            }
            double dump = pgDumpPsql(source, rows);
            for (int workers : List.of(2, 4)) {
                double seconds = bulk(source, List.of("public." + TABLE), rows, workers);
                String line = String.format(Locale.ROOT, "mode=load path=bulk tables=1 rows=%d workers=%d "
                        + "tidemark_rows_s=%.0f pg_dump_psql_rows_s=%.0f ratio_vs_pg_dump=%.2f", rows, workers,
                        rows / seconds, rows / dump, dump / seconds);
                System.out.println(line);
                lines.add(line);
            }
            for (int t : threads) {
                double[] tidemark = tidemark(source, rows, t, avro);
                String line = String.format(Locale.ROOT, "mode=load converter=%s tables=1 rows=%d snapshot.max.threads=%d "
                        + "snapshot_read_s=%.1f tidemark_rows_s=%.0f pg_dump_psql_rows_s=%.0f ratio_vs_pg_dump=%.2f",
                        avro ? "avro" : "json", rows, t, tidemark[1], rows / tidemark[0], rows / dump,
                        dump / tidemark[0]);
                System.out.println(line);
                lines.add(line);
            }
        }
        return lines;
    }

    /** The benchmark's table of 9 columns (bigint key, int, numeric, three varchar, timestamp, timestamptz, text). */
    static void createTable(Statement st, String table, int rows) throws java.sql.SQLException {
        st.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, n_int int, n_dec numeric(12,2), "
                + "code varchar(10), name varchar(100), descr varchar(400), created timestamp, "
                + "updated timestamptz, note text)");
        st.execute("INSERT INTO " + table + " SELECT g, g % 100000, (g % 1000000) / 100.0, 'C' || g, "
                + "'name ' || md5(g::text), repeat(md5(g::text), 1 + g % 5), timestamp '2020-01-01' + g * "
                + "interval '1 second', now() - g * interval '1 minute', CASE WHEN g % 8 = 0 THEN NULL ELSE "
                + "repeat('note ', 10 + g % 20) END FROM generate_series(1, " + rows + ") g");
    }

    /** @return seconds */
    private double pgDumpPsql(SourceServer source, int rows) throws Exception {
        return pgDumpPsql(source, "-t public." + TABLE, rows);
    }

    /**
     * {@code pg_dump SELECTOR | psql} into a fresh database, the rows counted in the target.
     *
     * @return seconds
     */
    static double pgDumpPsql(SourceServer source, String selector, int rows) throws Exception {
        try (PostgresTestDatabase target = PostgresTestDatabase.create("bench_dump")) {
            SinkBench.settle();
            long start = System.nanoTime();
            ProcessBuilder pipe = new ProcessBuilder("bash", "-c", "set -o pipefail; pg_dump -h 127.0.0.1 -p "
                    + source.port() + " -U postgres " + selector + " postgres | psql -q -v ON_ERROR_STOP=1 -h "
                    + target.host() + " -p " + target.port() + " -U " + target.user() + " -d " + target.name())
                    .inheritIO();
            pipe.environment().put("PGPASSWORD", target.password()); // the target's; the source trusts 127.0.0.1
            Process p = pipe.start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("pg_dump | psql failed (exit " + p.exitValue() + ")");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long copied = rowsIn(target, "");
            if (copied != rows) {
                throw new IllegalStateException("pg_dump | psql copied " + copied + " rows of " + rows);
            }
            System.out.printf(Locale.ROOT, "  pg_dump | psql (%s): %d rows in %.2f s = %.0f rows/s%n", selector, rows,
                    seconds, rows / seconds);
            return seconds;
        }
    }

    /**
     * Tidemark's bulk load of the tables into an empty target (docs/bulk-load.md): the rows only,
     * since with a bulk load the sink starts after them and applies just the changes since. The
     * load's own lines are printed for a single table (a thousand would drown the output).
     *
     * @return seconds
     */
    static double bulk(SourceServer source, List<String> tables, int rows, int workers) throws Exception {
        try (PostgresTestDatabase target = PostgresTestDatabase.create("bench_bulk")) {
            SinkPrecheck names = new SinkPrecheck(Map.of("connection.url", target.jdbcUrl(), "project.name", "bulk"));
            BulkLoad load = new BulkLoad(new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + source.port() + "/postgres",
                    SourceServer.USER, "unused"), new DatabaseSettings(target.jdbcUrl(), target.user(), target.password()),
                    names, "bulk", new BulkLoad.Settings(workers, 4, 60_000),
                    tables.size() == 1 ? line -> System.out.println("    " + line) : line -> { });
            SinkBench.settle();
            MachineCpu.Snapshot before = MachineCpu.now();
            BulkLoad.Result result = load.run(tables, position -> { });
            System.out.println("    " + MachineCpu.between(before, MachineCpu.now()));
            long copied = rowsIn(target, names.controlSchema());
            if (copied != rows || result.rows() != rows) {
                throw new IllegalStateException("the bulk load copied " + copied + " rows of " + rows);
            }
            System.out.printf(Locale.ROOT, "  bulk load of %d table(s) (%d workers, %d chunks): %d rows in %.2f s = "
                    + "%.0f rows/s; verified rows=%d%n", tables.size(), workers, result.tables().stream()
                    .mapToInt(BulkLoad.TableResult::chunks).sum(), rows, result.seconds(), rows / result.seconds(), copied);
            return result.seconds();
        }
    }

    /** The rows of every user table of the database outside {@code controlSchema}, each counted exactly. */
    private static long rowsIn(PostgresTestDatabase db, String controlSchema) {
        return db.count("SELECT coalesce(sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c "
                + "FROM %I.%I', schemaname, tablename), false, true, '')))[1]::text::bigint), 0) FROM pg_tables "
                + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema', ?)", controlSchema);
    }

    /** @return {seconds to the last row applied, seconds to Debezium's snapshot completed} */
    private double[] tidemark(SourceServer source, int rows, int threads, boolean avro) throws Exception {
        String prefix = "load" + threads;
        String topic = prefix + ".public." + TABLE;
        cluster.createTopic(topic, 2);
        try (PostgresTestDatabase target = PostgresTestDatabase.create("bench_load")) {
            Map<String, String> sink = FlowBench.tidemark(target);
            sink.put("topics", topic);
            sink.put("tasks.max", "2");
            if (avro) {
                sink.putAll(AvroConverters.connectorConfig());
            }
            cluster.connect().configureConnector("load-sink-" + threads, sink);
            Map<String, String> src = sourceConfig(source, prefix, threads);
            if (avro) {
                src.putAll(AvroConverters.connectorConfig());
            }
            SinkBench.settle();
            MachineCpu.Snapshot before = MachineCpu.now();
            long start = System.nanoTime();
            cluster.connect().configureConnector("load-source-" + threads, src);
            double snapshotDone = Double.NaN;
            long lastPrint = 0;
            long applied = 0;
            while (applied < rows) {
                Thread.sleep(100);
                applied = appliedRows(target, "load-sink-" + threads);
                long read = snapshotRead(prefix);
                double now = (System.nanoTime() - start) / 1e9;
                if (Double.isNaN(snapshotDone) && snapshotCompleted(prefix)) {
                    snapshotDone = now;
                }
                if (now - lastPrint / 1e9 >= 3) {
                    lastPrint = System.nanoTime() - start;
                    double rate = applied / now;
                    System.out.printf(Locale.ROOT, "  progress %s: read %d, applied %d of ~%d rows, %.0f rows/s, "
                            + "ETA %s%n", TABLE, read, applied, rows, rate,
                            rate > 0 ? String.format(Locale.ROOT, "%.0f s", (rows - applied) / rate) : "unknown");
                }
                if (now > 1800) {
                    throw new IllegalStateException("the load did not finish in 30 minutes: " + applied + " rows");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println("    " + MachineCpu.between(before, MachineCpu.now()));
            long copied = target.count("SELECT count(*) FROM public." + TABLE);
            cluster.connect().deleteConnector("load-source-" + threads);
            cluster.connect().deleteConnector("load-sink-" + threads);
            flow.awaitGone("load-source-" + threads);
            flow.awaitGone("load-sink-" + threads);
            try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("SELECT pg_drop_replication_slot('" + prefix + "')");
            }
            if (copied != rows) {
                throw new IllegalStateException("the load applied " + copied + " rows of " + rows);
            }
            System.out.printf(Locale.ROOT, "  load (snapshot.max.threads=%d): %d rows in %.2f s = %.0f rows/s; "
                    + "verified rows=%d%n", threads, rows, seconds, rows / seconds, copied);
            return new double[] {seconds, snapshotDone};
        } finally {
            cluster.connect().kafka().deleteTopic(topic);
        }
    }

    private static Map<String, String> sourceConfig(SourceServer source, String prefix, int threads) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        c.put("tasks.max", "1");
        c.put("database.hostname", "127.0.0.1");
        c.put("database.port", Integer.toString(source.port()));
        c.put("database.user", SourceServer.USER);
        c.put("database.password", "unused");
        c.put("database.dbname", "postgres");
        c.put("topic.prefix", prefix);
        c.put("plugin.name", "pgoutput");
        c.put("slot.name", prefix);
        c.put("publication.name", prefix);
        c.put("publication.autocreate.mode", "filtered");
        c.put("table.include.list", "public." + TABLE);
        c.put("snapshot.mode", "initial");
        c.put("snapshot.max.threads", Integer.toString(threads));
        c.put("decimal.handling.mode", "precise");
        // Debezium's batches: larger than its defaults (2,048 and 8,192) so that the snapshot is not held by the queue.
        c.put("max.batch.size", "8192");
        c.put("max.queue.size", "32768");
        c.put("snapshot.fetch.size", "10000");
        return c;
    }

    private static long appliedRows(PostgresTestDatabase target, String connector) throws Exception {
        try (Connection c = target.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM tidemark.kafka_offsets "
                     + "WHERE connector = '" + connector + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the control schema is not there yet
        }
    }

    /** Debezium's snapshot metrics over JMX: the rows it has read, over all its tables. */
    static long snapshotRead(String server) throws Exception {
        long read = 0;
        for (ObjectName name : snapshotMetrics(server)) {
            Object scanned = ManagementFactory.getPlatformMBeanServer().getAttribute(name, "RowsScanned");
            // Over JMX the map is open data (TabularDataSupport, a Map too): one row (key, value) per table.
            if (scanned instanceof javax.management.openmbean.TabularData perTable) {
                for (Object row : perTable.values()) {
                    read += ((Number) ((javax.management.openmbean.CompositeData) row).get("value")).longValue();
                }
            } else if (scanned instanceof Map<?, ?> perTable) {
                for (Object v : perTable.values()) {
                    read += ((Number) v).longValue();
                }
            }
        }
        return read;
    }

    private static boolean snapshotCompleted(String server) throws Exception {
        for (ObjectName name : snapshotMetrics(server)) {
            if (Boolean.TRUE.equals(ManagementFactory.getPlatformMBeanServer().getAttribute(name, "SnapshotCompleted"))) {
                return true;
            }
        }
        return false;
    }

    private static Set<ObjectName> snapshotMetrics(String server) throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        return mbeans.queryNames(new ObjectName("debezium.postgres:type=connector-metrics,context=snapshot,server="
                + server + ",*"), null);
    }
}
