package io.tidemark.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The write path alone: already-converted records handed straight to a sink task, in chunks of
 * {@code max.poll.records} as Connect would hand them, then the commit point ({@code preCommit})
 * that makes the task apply what it still buffers. Timed from the first {@code put} to the return
 * of that {@code preCommit}; task start (connections, Hibernate) is not timed.
 *
 * <p>Both tasks are loaded through Connect's own plugin isolation ({@link Plugins} over the same
 * plugin.path the Connect runs use), so neither sink's jars are on this JVM's classpath.
 */
final class WritePathBench {

    /** @param cpu where the machine's CPU went during the run ({@link MachineCpu}) */
    record Run(Contender contender, long records, double seconds, String cpu, Verifier.Result verified) {
        double rowsPerSecond() {
            return records / seconds;
        }
    }

    private final Plugins plugins;
    private final Contender.Settings settings;

    WritePathBench(String pluginPath, Contender.Settings settings) {
        Map<String, String> props = new HashMap<>();
        props.put("plugin.path", pluginPath);
        props.put("plugin.discovery", "service_load");
        this.plugins = new Plugins(props);
        this.settings = settings;
    }

    /**
     * The write path's line for a workload: each contender's rounds (after an untimed pass of the same
     * records when {@code warm}), and in every round the two raw binary COPY references measured beside
     * them, into an unlogged table without a key and into a logged, keyed one ({@link MachineLimit}).
     */
    String measure(List<SinkRecord> records, Workload workload, Verifier verifier, String topic, String tableName,
                   int rounds, int rotateBy, boolean warm, int referenceRows) throws Exception {
        String name = workload.name;
        Map<String, List<Double>> rates = new HashMap<>();
        List<String> order = List.of("tidemark", "debezium", "copy", "binary", "keyed");
        if (warm) {
            // Each contender takes these very records once untimed: the short warm-up leaves the JIT
            // compiling (and recompiling on values it had not seen, a zero numeric) during a 1-5 s timed
            // run, which a worker running for days never pays. --writepath-warm small leaves it out.
            long warmStart = System.nanoTime();
            for (String c : List.of("tidemark", "debezium", "copy")) {
                timed(c, records, workload, verifier, topic, tableName, referenceRows);
            }
            System.out.printf(Locale.ROOT, "  writepath %s: each contender took the records once untimed, %.1f s%n",
                    name, (System.nanoTime() - warmStart) / 1e9);
        }
        for (int round = 0; round < rounds; round++) {
            for (String c : SinkBench.rotate(order, round + rotateBy)) {
                rates.computeIfAbsent(c, k -> new ArrayList<>())
                        .add(timed(c, records, workload, verifier, topic, tableName, referenceRows));
            }
        }
        double t = SinkBench.median(rates.get("tidemark"));
        double d = SinkBench.median(rates.get("debezium"));
        double cp = SinkBench.median(rates.get("copy"));
        double binary = SinkBench.median(rates.get("binary"));
        double keyed = SinkBench.median(rates.get("keyed"));
        // The reference is the unlogged binary COPY; the keyed one pays what any sink's target costs.
        return String.format(Locale.ROOT, "workload=%s mode=writepath n=%d tidemark_rows_s=%.0f debezium_rows_s=%.0f"
                + " copy_rows_s=%.0f binary_copy_rows_s=%.0f keyed_binary_copy_rows_s=%.0f ratio_vs_debezium=%.2f"
                + " ratio_vs_copy=%.2f ratio_vs_binary_copy=%.2f ratio_vs_keyed_binary_copy=%.2f", name,
                workload.records(), t, d, cp, binary, keyed, t / d, t / cp, t / binary, t / keyed);
    }

    /** One timed run of a contender; its rows per second. */
    private double timed(String c, List<SinkRecord> records, Workload workload, Verifier verifier, String topic,
                         String tableName, int referenceRows) throws Exception {
        String name = workload.name;
        switch (c) {
            case "copy" -> {
                RawCopy.Result result = RawCopy.run(records);
                System.out.printf(Locale.ROOT, "  writepath %s copy: %d rows in %.2f s%n    %s%n", name, result.rows(),
                        result.seconds(), result.cpu());
                return result.rowsPerSecond();
            }
            case "binary", "keyed" -> {
                MachineLimit.CopyCost cost = MachineLimit.copyCost(new BenchTable("ora.BENCH.LIMIT"), referenceRows,
                        "binary", c.equals("keyed"));
                System.out.printf(Locale.ROOT, "  writepath %s %s%n    %s%n", name, cost.line(), cost.cpu());
                return cost.rowsPerSecond();
            }
            default -> {
                Contender contender = Contender.valueOf(c.toUpperCase(Locale.ROOT));
                Run run = run(contender, records, workload, verifier, topic, tableName);
                SinkBench.report("writepath", name, 1, contender, run.seconds(), run.records(), run.cpu(),
                        run.verified());
                return run.rowsPerSecond();
            }
        }
    }

    Run run(Contender contender, List<SinkRecord> records, Workload workload, Verifier verifier, String topic,
            String tableName) throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create("bench_wp_" + contender.label())) {
            Map<String, String> config = contender.connectorConfig(db, topic, tableName, 1, settings, BenchConverter.JSON);
            config.put("name", "writepath-" + contender.label());
            Connector connector = plugins.newConnector(contender.connectorClass);
            ClassLoader loader = connector.getClass().getClassLoader();
            SinkTask task;
            Set<TopicPartition> partitions = new HashSet<>();
            for (int p = 0; p < workload.partitions; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            double seconds;
            String cpu;
            try (LoaderSwap swap = plugins.withClassLoader(loader)) {
                connector.start(config);
                Map<String, String> taskConfig = connector.taskConfigs(1).get(0);
                task = (SinkTask) plugins.newTask(connector.taskClass());
                task.initialize(new BenchTaskContext(config, partitions));
                task.start(taskConfig);
                task.open(partitions);
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                int chunk = settings.maxPollRecords();
                SinkBench.settle();
                MachineCpu.Snapshot before = MachineCpu.now();
                long start = System.nanoTime();
                for (int from = 0; from < records.size(); from += chunk) {
                    List<SinkRecord> put = records.subList(from, Math.min(records.size(), from + chunk));
                    task.put(new ArrayList<>(put));
                    for (SinkRecord r : put) {
                        offsets.put(new TopicPartition(r.topic(), r.kafkaPartition()),
                                new OffsetAndMetadata(r.kafkaOffset() + 1));
                    }
                }
                task.preCommit(offsets);
                seconds = (System.nanoTime() - start) / 1e9;
                cpu = MachineCpu.between(before, MachineCpu.now());
                task.close(partitions);
                task.stop();
                connector.stop();
            }
            Verifier.Result result = ConnectBench.verifyEventually(db, contender.targetTable(tableName), verifier);
            return new Run(contender, records.size(), seconds, cpu, result);
        }
    }
}
