package io.tidemark.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The sink's share of a change's lag at low load, with the sink's default settings: inserts sent to
 * Kafka at a steady rate, each row stamped by PostgreSQL when the sink writes it (a column
 * {@code applied_at DEFAULT clock_timestamp()} added to the target after the sink created it). The
 * lag of a row is from its send to Kafka to that stamp; the commit follows within the same flush, a
 * few milliseconds later, so the figures are short by that much at most.
 *
 * <p>What the source adds on top (Debezium's poll and, on Oracle, LogMiner's sleep) is set apart in
 * docs/performance.md, with the settings that bound it.
 */
final class LagProbe {

    private static final int WARM_UP = 200;

    private final FlowBench flow;
    private final ConnectTestCluster cluster;

    LagProbe(FlowBench flow, ConnectTestCluster cluster) {
        this.flow = flow;
        this.cluster = cluster;
    }

    String run(int perSecond, int seconds) throws Exception {
        String topic = "lag.BENCH.LAG";
        cluster.createTopic(topic, 1);
        BenchTable table = new BenchTable(topic);
        DebeziumEvents events = new DebeziumEvents("lag", "BENCH", "LAG", table.keySchema, table.rowSchema);
        int measured = perSecond * seconds;
        try (PostgresTestDatabase db = PostgresTestDatabase.create("bench_lag");
             KafkaProducer<byte[], byte[]> producer = flow.producer()) {
            Map<String, String> config = FlowBench.tidemark(db);
            config.put("topics", topic);
            String name = "lag";
            producer.send(events.insert(table.row(1, 0))).get();
            cluster.connect().configureConnector(name, config);
            FlowBench.awaitOffsets(db, name, 1);
            db.execute("ALTER TABLE bench.lag ADD COLUMN applied_at timestamptz DEFAULT clock_timestamp()");
            // The warm-up: the sink's code compiled, its statements prepared, at the same rate.
            send(producer, events, table, 2, WARM_UP, perSecond, null);
            MachineCpu.Snapshot before = MachineCpu.now();
            Instant[] sent = new Instant[measured];
            long first = 2 + WARM_UP;
            send(producer, events, table, first, measured, perSecond, sent);
            FlowBench.awaitOffsets(db, name, 1 + WARM_UP + measured);
            String cpu = MachineCpu.between(before, MachineCpu.now());
            List<Long> lags = new ArrayList<>(measured);
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, applied_at FROM bench.lag WHERE id >= " + first)) {
                while (rs.next()) {
                    Instant applied = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
                    Instant at = sent[(int) (rs.getLong(1) - first)];
                    lags.add(java.time.Duration.between(at, applied).toNanos() / 1_000_000);
                }
            }
            cluster.connect().deleteConnector(name);
            flow.awaitGone(name);
            if (lags.size() != measured) {
                throw new IllegalStateException("lag: " + lags.size() + " rows stamped, " + measured + " sent");
            }
            lags.sort(Long::compare);
            String line = String.format(Locale.ROOT, "mode=lag rate_per_s=%d records=%d sink_lag_p50_ms=%d "
                    + "sink_lag_p95_ms=%d sink_lag_max_ms=%d (sink defaults; from the send to Kafka to the row written)",
                    perSecond, measured, percentile(lags, 0.50), percentile(lags, 0.95), lags.get(lags.size() - 1));
            System.out.println("    " + cpu);
            System.out.println(line);
            return line;
        } finally {
            cluster.connect().kafka().deleteTopic(topic);
        }
    }

    /** Sends {@code count} inserts from id {@code from} on, one every 1/perSecond s; {@code sent} gets their times. */
    private static void send(KafkaProducer<byte[], byte[]> producer, DebeziumEvents events, BenchTable table, long from,
                             int count, int perSecond, Instant[] sent) throws Exception {
        long interval = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            LockSupport.parkNanos(next - System.nanoTime());
            ProducerRecord<byte[], byte[]> record = events.insert(table.row(from + i, 0));
            if (sent != null) {
                sent[i] = Instant.now();
            }
            producer.send(record);
            producer.flush(); // low load: each change on its own, as a source sends it
            next += interval;
        }
    }

    static long percentile(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
