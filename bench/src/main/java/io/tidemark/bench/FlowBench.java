package io.tidemark.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * Tidemark's sink with its default settings, on the shapes that the throughput lines do not cover
 * (issue 24): many tables at once, and the lag of a change at low load. {@code bench/run --tables}
 * and {@code bench/run --lag} run one alone.
 *
 * <p>Tables: the same number of rows (60,000 by default) spread over 1, 300 and 1,000 tables of the
 * benchmark's 20-column shape, one topic each: first as a snapshot into new tables (the sink creates
 * them), then as a change stream (an update of every row) into the tables that now exist. Each phase
 * is timed from the connector's creation to the last offset committed in PostgreSQL.
 */
final class FlowBench {

    private final ConnectTestCluster cluster;

    FlowBench(ConnectTestCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * {@code --flow} (all three), or any of {@code --tables [1,300,1000]} (with {@code --tables-rows R},
     * {@code --tables-rounds N}: medians of N runs of each count, the counts in turn),
     * {@code --lag} (with {@code --lag-rate R/s}, {@code --lag-seconds S}), {@code --load [rows]} (with
     * {@code --load-threads 1,2}, or {@code none} for the bulk load alone; {@code --load-tables 1,300,1000}: the
     * bulk load over that many tables, {@code --load-workers 4}, {@code --load-converter avro|json}).
     */
    static void main(Map<String, String> options) throws Exception {
        boolean all = options.containsKey("flow");
        String pluginPath = options.get("plugin-path");
        List<String> lines = new ArrayList<>();
        try (ConnectTestCluster cluster = ConnectTestCluster.builder("flow").pluginPath(null)
                .workerProp("plugin.path", pluginPath).workerProp("plugin.discovery", "service_load")
                .workerProp("offset.flush.interval.ms", "60000").start()) {
            FlowBench flow = new FlowBench(cluster);
            System.out.println("# flow benchmark: " + Runtime.getRuntime().availableProcessors() + " cores; load average "
                    + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            if (all || options.containsKey("lag")) {
                lines.add(flow.lag(Integer.parseInt(options.getOrDefault("lag-rate", "50")),
                        Integer.parseInt(options.getOrDefault("lag-seconds", "20"))));
            }
            if (all || options.containsKey("tables")) {
                String counts = options.getOrDefault("tables", "true");
                lines.addAll(flow.tables(java.util.Arrays.stream((counts.equals("true") ? "1,300,1000" : counts)
                        .split(",")).map(Integer::parseInt).toList(),
                        Integer.parseInt(options.getOrDefault("tables-rows", "60000")),
                        Integer.parseInt(options.getOrDefault("tables-rounds", "1"))));
            }
            String loadRows = options.getOrDefault("load", "true");
            int rows = Integer.parseInt(loadRows.equals("true") ? "300000" : loadRows);
            if (options.containsKey("load-tables")) {
                lines.addAll(new LoadTablesBench().run(rows, java.util.Arrays.stream(options.get("load-tables")
                        .split(",")).map(Integer::parseInt).toList(),
                        Integer.parseInt(options.getOrDefault("load-workers", "4"))));
            } else if (all || options.containsKey("load")) {
                lines.addAll(new LoadBench(cluster, flow).run(rows,
                        java.util.Arrays.stream(options.getOrDefault("load-threads", "1,2").split(","))
                                .filter(t -> !t.equals("none")).map(Integer::parseInt).toList(),
                        !"json".equals(options.get("load-converter"))));
            }
        }
        System.out.println("# flow results");
        lines.forEach(System.out::println);
    }

    /** Tidemark's connector with its defaults: only what it must be told, and the converter of the topics. */
    static Map<String, String> tidemark(PostgresTestDatabase db) {
        Map<String, String> c = new HashMap<>(DebeziumEvents.sinkConverterConfig());
        c.put("connector.class", Contender.TIDEMARK.connectorClass);
        c.put("tasks.max", "1");
        c.put("connection.url", db.jdbcUrl());
        c.put("connection.user", db.user());
        c.put("connection.password", db.password());
        c.put("project.name", Contender.PROJECT);
        c.put("license.key", TestLicenses.generous(Contender.PROJECT));
        for (String kv : System.getProperty("bench.tidemark.config", "").split(",")) {
            if (kv.contains("=")) {
                c.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return c;
    }

    /**
     * One line per table count and phase, with the ratio to the first count's time: the median of
     * {@code rounds} runs of each count, the counts taken in turn within a round (so that a slow
     * stretch of the machine falls on all of them), with the fastest and slowest run beside it.
     */
    List<String> tables(List<Integer> counts, int totalRows, int rounds) throws Exception {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, List<Double>> floors = new HashMap<>();
        Map<String, String> checks = new HashMap<>();
        // Unreported: 10 tables with a tenth of the rows, so that the first line does not carry the JIT's work.
        List<int[]> runs = new ArrayList<>();
        runs.add(new int[] {-10, 0});
        for (int round = 1; round <= rounds; round++) {
            for (int count : counts) {
                runs.add(new int[] {count, round});
            }
        }
        for (int[] run : runs) {
            boolean warmUp = run[0] < 0;
            int tables = Math.abs(run[0]);
            int rows = warmUp ? totalRows / 10 : totalRows;
            String prefix = warmUp ? "w" + tables : "t" + tables + "r" + run[1];
            List<String> topics = new ArrayList<>();
            for (int t = 0; t < tables; t++) {
                topics.add(prefix + ".BENCH." + String.format(Locale.ROOT, "TAB_%04d", t));
            }
            createTopics(topics);
            try (PostgresTestDatabase db = PostgresTestDatabase.create("bench_tables")) {
                Map<String, String> config = tidemark(db);
                config.put("topics.regex", prefix + "\\.BENCH\\..*");
                String name = "tables-" + tables;
                for (String phase : List.of("snapshot", "changes")) {
                    int version = phase.equals("snapshot") ? 0 : 1;
                    double produced = produce(topics, rows / tables, version);
                    SinkBench.settle();
                    MachineCpu.Snapshot before = MachineCpu.now();
                    long start = System.nanoTime();
                    cluster.connect().configureConnector(name, config);
                    awaitOffsets(db, name, endOffsets(topics)); // every record in the topics, retries' duplicates too
                    double took = (System.nanoTime() - start) / 1e9;
                    String cpu = MachineCpu.between(before, MachineCpu.now());
                    cluster.connect().deleteConnector(name);
                    awaitGone(name);
                    String check = check(db, topics, rows / tables, version);
                    double floor = floor(config, prefix, endOffsets(topics));
                    if (warmUp) {
                        System.out.printf(Locale.ROOT, "  warm-up: %s of %d tables in %.1f s (floor %.1f s)%n", phase,
                                tables, took, floor);
                        continue;
                    }
                    seconds.computeIfAbsent(phase + " " + tables, k -> new ArrayList<>()).add(took);
                    floors.computeIfAbsent(phase + " " + tables, k -> new ArrayList<>()).add(floor);
                    checks.put(phase + " " + tables, check);
                    System.out.printf(Locale.ROOT, "  produced in %.1f s; round %d: %s of %d tables in %.2f s (floor %.2f s),"
                            + " %s%n    %s%n", produced, run[1], phase, tables, took, floor, check, cpu);
                }
            }
            deleteTopics(topics);
        }
        List<String> lines = new ArrayList<>();
        for (String phase : List.of("snapshot", "changes")) {
            double first = SinkBench.median(seconds.get(phase + " " + counts.get(0)));
            double firstFloor = SinkBench.median(floors.get(phase + " " + counts.get(0)));
            for (int tables : counts) {
                List<Double> taken = seconds.get(phase + " " + tables);
                double median = SinkBench.median(taken);
                double floor = SinkBench.median(floors.get(phase + " " + tables));
                int rows = (totalRows / tables) * tables;
                // The floor: Connect's consumer and converter over the same topics, records dropped. What the
                // sink adds is the rest; its growth with the tables is Tidemark's, the floor's is Connect's.
                lines.add(String.format(Locale.ROOT, "mode=tables phase=%s tables=%d rows=%d rounds=%d seconds=%.2f"
                        + " seconds_min=%.2f seconds_max=%.2f rows_s=%.0f ratio_vs_1_table=%.2f floor_seconds=%.2f"
                        + " floor_ratio_vs_1_table=%.2f sink_seconds=%.2f sink_ratio_vs_1_table=%.2f %s", phase, tables,
                        rows, taken.size(), median, java.util.Collections.min(taken), java.util.Collections.max(taken),
                        rows / median, median / first, floor, floor / firstFloor, median - floor,
                        (median - floor) / (first - firstFloor), checks.get(phase + " " + tables)));
            }
        }
        return lines; // printed with the other flow lines at the end
    }

    /**
     * The same topics through the floor sink (Connect's consumer and the same converter, every record
     * dropped), timed from the connector's creation to the last record received. One connector name
     * for both phases of a run: its consumer group resumes where the snapshot's floor ended (Connect
     * commits a sink task's offsets when it stops), as Tidemark's does. @return seconds
     */
    private double floor(Map<String, String> tidemark, String name, long records) throws Exception {
        Map<String, String> config = new HashMap<>(DebeziumEvents.sinkConverterConfig());
        config.put("connector.class", Contender.FLOOR.connectorClass);
        config.put("tasks.max", tidemark.get("tasks.max"));
        config.put("topics.regex", tidemark.get("topics.regex"));
        String connector = "floor-" + name;
        SinkBench.settle();
        long start = System.nanoTime();
        cluster.connect().configureConnector(connector, config);
        ConnectBench.awaitFloor(connector, records);
        double took = (System.nanoTime() - start) / 1e9;
        cluster.connect().deleteConnector(connector);
        awaitGone(connector);
        if (FloorSinkTask.received(connector) > records) {
            throw new IllegalStateException("the floor read " + FloorSinkTask.received(connector) + " records of "
                    + records + ": it did not resume where it stopped, so its time is not the phase's");
        }
        return took;
    }

    private void createTopics(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
            // Produced to at once, a thousand new partitions made the producer's retries fail out of
            // sequence: wait until every one has its leader.
            for (int attempt = 0; attempt < 600; attempt++) {
                try {
                    boolean led = admin.describeTopics(topics).allTopicNames().get().values().stream()
                            .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null
                                    && !p.leader().isEmpty()));
                    if (led) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                    // created, but not in the broker's metadata yet: look again
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the new topics have no leader after 60 s");
        }
    }

    private void deleteTopics(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.deleteTopics(topics).all().get();
        }
    }

    /** Version 0: a snapshot read of rows 1..perTable of each table; version 1: an update of each. @return seconds */
    private double produce(List<String> topics, int perTable, int version) throws Exception {
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String topic : topics) {
                BenchTable table = new BenchTable(topic);
                String[] parts = topic.split("\\.");
                DebeziumEvents events = new DebeziumEvents(parts[0], parts[1], parts[2], table.keySchema,
                        table.rowSchema);
                for (long id = 1; id <= perTable; id++) {
                    producer.send(version == 0 ? events.read(table.row(id, 0))
                            : events.update(table.row(id, 0), table.row(id, 1)));
                }
            }
            producer.flush();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // One request in flight, no idempotence: a retry cannot be refused as out of sequence (it would
        // retry forever); a record written twice is the same upsert, and the sink's offsets count both.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        return cluster.connect().kafka().createProducer(props);
    }

    /** Rows and updated rows over all the tables, in one statement: the phase applied whole, or says what it found. */
    private static String check(PostgresTestDatabase db, List<String> topics, int perTable, int version)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT sum(n), sum(u) FROM (");
        for (int i = 0; i < topics.size(); i++) {
            String table = "bench." + topics.get(i).substring(topics.get(i).lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT count(*) n, count(updated) u FROM ").append(table);
        }
        sql.append(") t");
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
            rs.next();
            long rows = rs.getLong(1);
            long updated = rs.getLong(2);
            long expected = (long) perTable * topics.size();
            boolean ok = rows == expected && updated == (version == 0 ? 0 : expected);
            if (!ok) {
                throw new IllegalStateException("tables: " + rows + " rows, " + updated + " updated; expected " + expected
                        + " rows, " + (version == 0 ? 0 : expected) + " updated");
            }
            return "verified rows=" + rows + " updated=" + updated;
        }
    }

    private long endOffsets(List<String> topics) {
        return cluster.endOffsets(topics).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Until the sink's committed offsets of this connector add up to {@code records}. */
    static void awaitOffsets(PostgresTestDatabase db, String connector, long records) throws Exception {
        long deadline = System.nanoTime() + 900_000_000_000L;
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM tidemark.kafka_offsets "
                        + "WHERE connector = '" + connector + "'")) {
                    rs.next();
                    if (rs.getLong(1) >= records) {
                        return;
                    }
                } catch (SQLException e) {
                    if (!"42P01".equals(e.getSQLState()) && !"3F000".equals(e.getSQLState())) {
                        throw e; // the control schema is not there yet
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException(connector + " did not apply " + records + " records in 15 minutes");
    }

    void awaitGone(String name) throws InterruptedException {
        for (int i = 0; i < 400 && cluster.statusOrNull(name) != null; i++) {
            Thread.sleep(50);
        }
    }

    /** The lag line: {@link LagProbe}. */
    String lag(int perSecond, int seconds) throws Exception {
        return new LagProbe(this, cluster).run(perSecond, seconds);
    }
}
