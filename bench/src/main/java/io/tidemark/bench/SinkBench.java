package io.tidemark.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The sink benchmark (docs/performance.md). {@code bench/run [--quick]} builds and starts it.
 *
 * <p>Options: {@code --quick} (n=180,000, one round: its throughput lines about 14 minutes on 2 cores), {@code --n N}, {@code --rounds R} (each round
 * runs every contender once, in a rotated order; the lines give medians), {@code --workloads
 * insert,mixed}, {@code --modes connect,writepath,consistency} (consistency: PARTIAL against FULL on the mixed
 * workload with a marker every {@code --marker-every} changes, default 50,000), {@code --tasks 1,2}, {@code --contenders tidemark,debezium,floor} (through Connect),
 * {@code --converters json,avro} (through Connect; each its own topic, every contender reading it with the same converter;
 * the write path and the consistency mode always take JSON), {@code --max-poll-records M},
 * {@code --tidemark-batch B}, {@code --plugin-path DIRS}, {@code --warm N} (records of the warm-up topic),
 * {@code --writepath-warm small} (no untimed pass of each write-path workload), {@code --connect-warm small} (none of each
 * workload through Connect); {@code --memory N} instead runs only the
 * memory check (Tidemark's task, N generated rows, in this JVM).
 */
public final class SinkBench {

    private final Map<String, String> options;
    private final int n;
    private final int rounds;
    private final Contender.Settings settings;
    private final List<String> copyLines = new ArrayList<>();
    private MachineLimit.CopyCost binaryCopy;

    private SinkBench(Map<String, String> options) {
        this.options = options;
        boolean quick = options.containsKey("quick");
        this.n = Integer.parseInt(options.getOrDefault("n", quick ? "180000" : "1000000"));
        this.rounds = Integer.parseInt(options.getOrDefault("rounds", quick ? "1" : "3"));
        this.settings = new Contender.Settings(Integer.parseInt(options.getOrDefault("max-poll-records", "5000")),
                Integer.parseInt(options.getOrDefault("tidemark-batch", "20000")));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        if (options.containsKey("memory")) {
            MemoryBench.main(options);
            return;
        }
        int status = 1;
        try {
            if (java.util.stream.Stream.of("flow", "tables", "lag", "load").anyMatch(options::containsKey)) {
                FlowBench.main(options); // many tables, lag, initial load: each alone, or all with --flow
            } else {
                new SinkBench(options).run();
            }
            status = 0;
        } catch (Throwable e) {
            e.printStackTrace(); // System.exit below would leave it unsaid
            throw e;
        } finally {
            System.exit(status); // the embedded cluster leaves non-daemon threads behind
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(key, args[++i]);
            } else {
                options.put(key, "true");
            }
        }
        return options;
    }

    private List<String> list(String key, String fallback) {
        return Arrays.asList(options.getOrDefault(key, fallback).split(","));
    }

    private void run() throws Exception {
        List<String> workloads = list("workloads", "insert,mixed");
        List<String> modes = list("modes", "connect,writepath,consistency");
        // Through Connect only: leaving a contender out makes its rate and ratios NaN (to profile one).
        List<Contender> contenders = list("contenders", "tidemark,debezium,floor").stream()
                .map(c -> Contender.valueOf(c.toUpperCase(Locale.ROOT))).toList();
        List<Integer> taskCounts = list("tasks", "1,2").stream().map(Integer::parseInt).toList();
        List<BenchConverter> converters = list("converters", "json,avro").stream()
                .map(c -> BenchConverter.valueOf(c.toUpperCase(Locale.ROOT))).toList();
        int partitions = taskCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
        String pluginPath = options.get("plugin-path");
        if (pluginPath == null) {
            throw new IllegalArgumentException("--plugin-path is required (bench/run sets it)");
        }
        header(pluginPath);

        long started = System.nanoTime();
        ConnectTestCluster cluster = ConnectTestCluster.builder("bench")
                .pluginPath(null) // set below: a list of directories
                .workerProp("plugin.path", pluginPath)
                .workerProp("plugin.discovery", "service_load")
                // Connect's default (the test cluster commits every second): a commit point makes
                // a sink apply what it buffers, so a test setting would cut every contender's batches.
                .workerProp("offset.flush.interval.ms", "60000")
                // With 2 tasks the first consumer often forms the group alone and takes both
                // partitions; the second's join makes it rejoin only when its next heartbeat says so
                // (every 3 s by default), so one task did all the work for up to 3 s of a 5-10 s run,
                // for whichever contender it happened to. A short heartbeat keeps that under half a
                // second, for every contender alike.
                .workerProp("consumer.heartbeat.interval.ms", "250")
                .start();
        ConnectBench connect = new ConnectBench(cluster, settings);
        WritePathBench writePath = new WritePathBench(pluginPath, settings);
        List<String> lines = new ArrayList<>();
        boolean warmedUp = false;
        for (int w = 0; w < workloads.size(); w++) {
            String workloadName = workloads.get(w);
            Workload workload = Workload.of(workloadName, n, partitions);
            for (BenchConverter converter : converters) {
                if (converter != BenchConverter.JSON && !modes.contains("connect")) {
                    continue; // only the runs through Connect read it: the write path and the consistency mode take JSON
                }
                String tableName = workloadName.substring(0, 3) + converter.topicSuffix().toLowerCase(Locale.ROOT); // ins, mix_avro
                String topic = "ora.BENCH." + tableName.toUpperCase(Locale.ROOT);
                BenchTable table = new BenchTable(topic);
                Topics.produce(cluster, topic, table, workload, converter);
                Verifier verifier = new Verifier(table, workload);

                if (!warmedUp) {
                    warmUp(cluster, connect, writePath, modes, contenders, converters, partitions);
                    warmedUp = true;
                }
                if (modes.contains("connect")) {
                    ownRecordsOnce(connect, contenders, workload, topic, tableName, converter);
                    for (int t = 0; t < taskCounts.size(); t++) {
                        int tasks = taskCounts.get(t);
                        Map<Contender, List<ConnectBench.Run>> runs = new EnumMap<>(Contender.class);
                        for (int round = 0; round < rounds; round++) {
                            for (Contender c : rotate(contenders, round + t + w)) {
                                ConnectBench.Run run = connect.run(c, workload, verifier, topic, tableName, tasks, converter);
                                report("connect", workloadName + " " + converter.label(), tasks, run.contender(),
                                        run.seconds(), run.records(), run.cpu(), run.verified());
                                if (run.flushes() != null) {
                                    System.out.println("    " + run.flushes());
                                }
                                runs.computeIfAbsent(c, k -> new ArrayList<>()).add(run);
                            }
                        }
                        lines.add(connectLine(workloadName, converter, tasks, workload.records(), runs));
                        System.out.println(lines.get(lines.size() - 1));
                    }
                }
                if (modes.contains("writepath") && converter == BenchConverter.JSON) {
                    writePath(writePath, cluster, topic, tableName, workload, verifier, w, lines);
                }
                cluster.connect().kafka().deleteTopic(topic);
            }
            if (modes.contains("consistency") && workloadName.equals("mixed")) {
                if (!warmedUp) { // no JSON topic above (--converters without json)
                    warmUp(cluster, connect, writePath, modes, contenders, converters, partitions);
                    warmedUp = true;
                }
                lines.addAll(ConsistencyBench.run(cluster, connect, partitions, n, rounds,
                        Integer.parseInt(options.getOrDefault("marker-every", "50000"))));
            }
        }
        cluster.close();
        System.out.println();
        System.out.printf(Locale.ROOT, "# results (n=%d, rounds=%d, medians), %.0f s in all%n", n, rounds,
                (System.nanoTime() - started) / 1e9);
        copyLines.forEach(System.out::println);
        lines.forEach(System.out::println);
    }

    /**
     * Each contender once through the workload's own topic, untimed ({@code --connect-warm small}
     * leaves it out). The warm-up topic does not get a sink's per-record code to C2: on two cores
     * HotSpot has one C2 thread and raises the next tier's thresholds with its queue's length, so after
     * the warm-up topic twice (30,000 records each time) Tidemark's first timed run still spent 2.3 of its
     * 7.4 busy core-s in the JIT and the run after it 0.5 (JFR, 2026-12-07: its decoding, routing and
     * encoding compiled by C2 inside the timed run).
     */
    private void ownRecordsOnce(ConnectBench connect, List<Contender> contenders, Workload workload, String topic,
                                String tableName, BenchConverter converter) throws Exception {
        if ("small".equals(options.get("connect-warm"))) {
            return;
        }
        long start = System.nanoTime();
        for (Contender c : contenders) {
            connect.run(c, workload, null, topic, tableName, 1, converter);
        }
        System.out.printf(Locale.ROOT, "  connect %s %s: each contender took the records once untimed, %.1f s%n",
                workload.name, converter.label(), (System.nanoTime() - start) / 1e9);
    }

    private void writePath(WritePathBench writePath, ConnectTestCluster cluster, String topic, String tableName,
                           Workload workload, Verifier verifier, int w, List<String> lines) throws Exception {
        List<SinkRecord> records = Topics.convert(cluster, topic, workload.records());
        lines.add(writePath.measure(records, workload, verifier, topic, tableName, rounds, w,
                !"small".equals(options.get("writepath-warm")), Math.min(n, 200_000)));
        System.out.println(lines.get(lines.size() - 1));
        records.clear();
    }

    private void header(String pluginPath) throws Exception {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "# sink benchmark: n=%d rounds=%d max.poll.records=%d tidemark batch.size=%d, "
                + "%d cores, -Xmx%dm, java %s%n", n, rounds, settings.maxPollRecords(), settings.tidemarkBatch(),
                rt.availableProcessors(), rt.maxMemory() >> 20, System.getProperty("java.version"));
        try (Connection c = PostgresTestDatabase.adminConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version(), current_setting('synchronous_commit'), "
                     + "current_setting('shared_buffers'), current_setting('max_wal_size')")) {
            rs.next();
            System.out.printf("# %s; synchronous_commit=%s shared_buffers=%s max_wal_size=%s%n",
                    rs.getString(1).replaceAll(" on x86_64.*", ""), rs.getString(2), rs.getString(3), rs.getString(4));
        }
        System.out.println("# plugin.path=" + pluginPath);
        System.out.println("# load average at start: " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * A smaller insert topic each contender drains before anything is timed (JIT, caches, pools):
     * through Connect every contender with every converter, for the consistency mode alone Tidemark
     * with JSON; on the write path Tidemark, Debezium and the raw COPY.
     */
    private void warmUp(ConnectTestCluster cluster, ConnectBench connect, WritePathBench writePath, List<String> modes,
                        List<Contender> contenders, List<BenchConverter> converters, int partitions) throws Exception {
        int warm = Integer.parseInt(options.getOrDefault("warm", String.valueOf(Math.max(1_000, Math.min(10_000, n / 20)))));
        String topic = "ora.BENCH.WARM";
        BenchTable table = new BenchTable(topic);
        Workload workload = Workload.insert(warm, partitions);
        Topics.produce(cluster, topic, table, workload, BenchConverter.JSON);
        long start = System.nanoTime();
        if (modes.contains("connect") || modes.contains("consistency")) {
            boolean throughConnect = modes.contains("connect");
            for (BenchConverter converter : throughConnect ? converters : List.of(BenchConverter.JSON)) {
                String warmTopic = topic + converter.topicSuffix();
                if (converter != BenchConverter.JSON) {
                    Topics.produce(cluster, warmTopic, new BenchTable(warmTopic), workload, converter);
                }
                for (Contender c : throughConnect ? contenders : List.of(Contender.TIDEMARK)) {
                    connect.run(c, workload, null, warmTopic, "warm" + converter.topicSuffix().toLowerCase(Locale.ROOT), 1,
                            converter);
                }
                if (converter != BenchConverter.JSON) {
                    cluster.connect().kafka().deleteTopic(warmTopic);
                }
            }
        }
        if (modes.contains("writepath")) {
            List<SinkRecord> records = Topics.convert(cluster, topic, workload.records());
            Verifier verifier = new Verifier(table, workload);
            for (Contender c : List.of(Contender.TIDEMARK, Contender.DEBEZIUM)) {
                writePath.run(c, records, workload, verifier, topic, "warm");
            }
            RawCopy.run(records);
        }
        cluster.connect().kafka().deleteTopic(topic);
        System.out.printf(Locale.ROOT, "  warm-up: %d records through each contender, %.1f s%n", workload.records(),
                (System.nanoTime() - start) / 1e9);
    }

    static <T> List<T> rotate(List<T> items, int by) {
        List<T> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(items.get((i + by) % items.size()));
        }
        return out;
    }

    static void report(String mode, String workload, int tasks, Contender c, double seconds, long records,
                               String cpu, Verifier.Result verified) {
        String check = verified == null ? "" : verified.ok() ? " verified digest=" + verified.digest()
                : " VERIFICATION FAILED: " + verified.problem();
        System.out.printf(Locale.ROOT, "  %s %s tasks=%d %s: %d records in %.2f s = %.0f rows/s%s%n", mode, workload,
                tasks, c.label(), records, seconds, records / seconds, check);
        System.out.println("    " + cpu);
        if (verified != null && !verified.ok()) {
            throw new IllegalStateException(c.label() + " applied wrong data: " + verified.problem());
        }
    }

    private String connectLine(String workload, BenchConverter converter, int tasks, long n,
                               Map<Contender, List<ConnectBench.Run>> runs) throws Exception {
        ToDoubleFunction<Contender> rate = c -> runs.containsKey(c)
                ? median(runs.get(c).stream().map(ConnectBench.Run::rowsPerSecond).toList()) : Double.NaN;
        double t = rate.applyAsDouble(Contender.TIDEMARK);
        double d = rate.applyAsDouble(Contender.DEBEZIUM);
        double f = rate.applyAsDouble(Contender.FLOOR);
        double limit = Double.NaN;
        if (runs.containsKey(Contender.FLOOR)) {
            List<ConnectBench.Run> floors = new ArrayList<>(runs.get(Contender.FLOOR));
            floors.sort(Comparator.comparingDouble(ConnectBench.Run::rowsPerSecond));
            ConnectBench.Run floor = floors.get(floors.size() / 2);
            MachineLimit.CopyCost copy = copyCost();
            limit = MachineLimit.rowsPerSecond(floor, copy);
            String line = MachineLimit.line(workload, converter, tasks, floor, copy);
            System.out.println(line);
            copyLines.add(line);
        }
        return String.format(Locale.ROOT, "workload=%s mode=connect converter=%s tasks=%d n=%d tidemark_rows_s=%.0f "
                + "debezium_rows_s=%.0f floor_rows_s=%.0f limit_rows_s=%.0f ratio_vs_debezium=%.2f ratio_vs_floor=%.2f"
                + " ratio_vs_limit=%.2f", workload, converter.label(), tasks, n, t, d, f, limit, t / d, t / f, t / limit);
    }

    /** The raw binary COPY's cost, measured once per run (beside the text form's, for the record). */
    private MachineLimit.CopyCost copyCost() throws Exception {
        if (binaryCopy == null) {
            int rows = Math.min(n, 200_000);
            BenchTable table = new BenchTable("ora.BENCH.LIMIT");
            for (String format : List.of("text", "binary")) {
                MachineLimit.CopyCost cost = MachineLimit.copyCost(table, rows, format, false);
                System.out.println(cost.line());
                System.out.println("    " + cost.cpu());
                copyLines.add(cost.line());
                binaryCopy = cost;
            }
        }
        return binaryCopy;
    }

    /**
     * Before every timed run: a checkpoint, a sync and a full collection, so that no contender
     * pays for what came before it: a checkpoint or a write-back of the WAL and dirty pages the
     * one before it (or the producer) left, or the promotion of the converted records to the old
     * generation, falling inside its run; and first the JIT's queue left to empty ({@link QuietJit}).
     */
    static void settle() {
        QuietJit.await();
        System.gc();
        try (Connection c = PostgresTestDatabase.adminConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        } catch (java.sql.SQLException | java.io.IOException e) {
            throw new IllegalStateException("CHECKPOINT or sync failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }
}
