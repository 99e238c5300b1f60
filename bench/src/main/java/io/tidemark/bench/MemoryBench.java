package io.tidemark.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

import com.sun.management.GarbageCollectionNotificationInfo;

import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The memory check: N insert events generated on the fly (never all in memory) and handed to
 * Tidemark's task in polls of {@code max.poll.records}, in a JVM started with a small heap. Reports
 * the largest heap in use after a collection (the live set: what the task really holds) and the
 * old generation's peak. Bounded by the batch settings means: the same at 250,000 rows as at
 * 1,000,000.
 */
final class MemoryBench {

    private MemoryBench() {
    }

    static void main(Map<String, String> options) throws Exception {
        int n = Integer.parseInt(options.get("memory"));
        int poll = Integer.parseInt(options.getOrDefault("max-poll-records", "5000"));
        int batch = Integer.parseInt(options.getOrDefault("tidemark-batch", "20000"));
        String topic = "ora.BENCH.MEM";
        BenchTable table = new BenchTable(topic);
        DebeziumEvents events = new DebeziumEvents("ora", "BENCH", "MEM", table.keySchema, table.rowSchema);
        AtomicLong maxAfterGc = new AtomicLong();
        watchCollections(maxAfterGc);

        Map<String, String> pluginProps = new HashMap<>();
        pluginProps.put("plugin.path", options.get("plugin-path"));
        pluginProps.put("plugin.discovery", "service_load");
        Plugins plugins = new Plugins(pluginProps);
        try (PostgresTestDatabase db = PostgresTestDatabase.create("bench_mem")) {
            Map<String, String> config = Contender.TIDEMARK.connectorConfig(db, topic, "mem", 1,
                    new Contender.Settings(poll, batch), BenchConverter.JSON);
            config.put("name", "memory");
            Connector connector = plugins.newConnector(Contender.TIDEMARK.connectorClass);
            TopicPartition tp = new TopicPartition(topic, 0);
            double seconds;
            try (LoaderSwap swap = plugins.withClassLoader(connector.getClass().getClassLoader())) {
                connector.start(config);
                SinkTask task = (SinkTask) plugins.newTask(connector.taskClass());
                task.initialize(new BenchTaskContext(config, Set.of(tp)));
                task.start(connector.taskConfigs(1).get(0));
                task.open(Set.of(tp));
                long start = System.nanoTime();
                List<SinkRecord> put = new ArrayList<>(poll);
                for (long id = 1; id <= n; id++) {
                    Struct row = table.row(id, 0);
                    put.add(new SinkRecord(topic, 0, table.keySchema, events.keyOf(row), events.envelopeSchema(),
                            events.envelope("r", null, row), id - 1, System.currentTimeMillis(),
                            TimestampType.CREATE_TIME));
                    if (put.size() == poll || id == n) {
                        task.put(put);
                        put = new ArrayList<>(poll);
                    }
                }
                task.preCommit(Map.of(tp, new OffsetAndMetadata(n)));
                seconds = (System.nanoTime() - start) / 1e9;
                task.stop();
                connector.stop();
            }
            long rows = db.count("SELECT count(*) FROM bench.mem");
            if (rows != n) {
                throw new IllegalStateException("expected " + n + " rows, found " + rows);
            }
            long oldPeak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old")) {
                    oldPeak = Math.max(oldPeak, pool.getPeakUsage().getUsed());
                }
            }
            System.out.printf(Locale.ROOT, "memory n=%d xmx_mb=%d batch.size=%d max.poll.records=%d rows_s=%.0f "
                    + "max_heap_after_gc_mb=%.1f old_gen_peak_mb=%.1f gc_count=%d%n", n,
                    Runtime.getRuntime().maxMemory() >> 20, batch, poll, n / seconds, maxAfterGc.get() / 1048576.0,
                    oldPeak / 1048576.0, gcCount());
        }
    }

    /** After every collection, the heap still in use: its maximum is the live set's high-water mark. */
    private static void watchCollections(AtomicLong maxAfterGc) {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long used = 0;
                // non-heap pools (metaspace, code cache) are in the map too: count heap pools only
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (isHeap(e.getKey())) {
                        used += e.getValue().getUsed();
                    }
                }
                maxAfterGc.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }

    private static boolean isHeap(String pool) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals(pool)) {
                return p.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += gc.getCollectionCount();
        }
        return n;
    }
}
