package io.tidemark.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
