package io.tidemark.control.verify;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.tidemark.common.marker.IterationMarker;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The verification benchmark ({@code bench/run --verify}; skipped unless {@code -Dtidemark.bench.verify=N}):
 * rows/s verified for an in-sync table of N rows beside a floor that scans both sides once, at the
 * same time ({@code count(*)} and a full read of every column), on this machine's PostgreSQL; then one
 * iteration's changes verified with {@code --changed-since}.
 */
class VerifyBench {

    private static final String TABLE = "(id bigint PRIMARY KEY, amount numeric(14,2), qty int, name varchar(60),"
            + " note text, created timestamp(6), flag boolean, ratio double precision)";
    private static final String ROWS = " SELECT g, g * 1.25, g % 1000, 'name ' || g, repeat('x', 20 + g % 50),"
            + " timestamp '2024-01-01' + g * interval '1 ms', g % 2 = 0, g / 7.0 FROM generate_series(1, %d) g";

    @Test
    void verifiesAnInSyncTableAgainstTheFloorOfScanningBothSidesOnce() throws Exception {
        String n = System.getProperty("tidemark.bench.verify");
        Assumptions.assumeTrue(n != null, "the verification benchmark runs from bench/run --verify");
        int rows = Integer.parseInt(n);
        try (PostgresTestDatabase source = PostgresTestDatabase.create("vbench_src");
             PostgresTestDatabase target = PostgresTestDatabase.create("vbench_tgt")) {
            source.execute("CREATE TABLE public.big " + TABLE, "INSERT INTO public.big" + ROWS.replace("%d",
                    Integer.toString(rows)), "VACUUM ANALYZE public.big");
            try (Connection c = target.connect()) {
                new ControlSchema("tm_b").ensure(c);
            }
            target.execute("CREATE SCHEMA b_t", "CREATE TABLE b_t.big " + TABLE, "INSERT INTO b_t.big"
                    + ROWS.replace("%d", Integer.toString(rows)), "VACUUM ANALYZE b_t.big",
                    "INSERT INTO tm_b.iteration (project, iteration, status, applied_at) VALUES ('b', 1, 'APPLIED', now())",
                    "INSERT INTO tm_b.table_state (project, source_table, target_table, topic, status, mode, iteration)"
                            + " VALUES ('b', 'public.big', 'b_t.big', 'b.public.big', 'RUNNING', 'FULL', 1)");
            scanBoth(source, target, "public.big", "b_t.big"); // warm both caches alike
            long floorNanos = scanBoth(source, target, "public.big", "b_t.big");
            Verifier v = new Verifier(settings(target), settings(source), "tm_b", "b");
            long started = System.nanoTime();
            Verifier.Result r = v.run(Verifier.Options.defaults(), line -> { }, new AtomicBoolean());
            long verifyNanos = System.nanoTime() - started;
            if (!"IN_SYNC".equals(r.status())) {
                throw new AssertionError("the benchmark's tables should be in sync: " + r.message());
            }
            double floor = rows / (floorNanos / 1e9);
            double verified = rows / (verifyNanos / 1e9);
            System.out.printf("verify  n=%,d  floor (count(*) + full read, both sides at once) %.2f s = %,.0f rows/s"
                    + "  verify %.2f s = %,.0f rows/s  ratio %.2f (goal >= 0.5)  ranges %d%n", rows, floorNanos / 1e9,
                    floor, verifyNanos / 1e9, verified, verified / floor, r.tables().get(0).ranges());
            long one = System.nanoTime();
            Verifier.Options d = Verifier.Options.defaults();
            target.execute("UPDATE b_t.big SET qty = qty + 1 WHERE id = 424242 % " + rows);
            Verifier.Result diff = v.run(new Verifier.Options(List.of(), null, true, d.rangeRows(), d.rowThreshold(),
                    d.cap(), d.parallel(), Duration.ZERO), line -> { }, new AtomicBoolean());
            System.out.printf("verify  one difference found in %.2f s (%s)%n", (System.nanoTime() - one) / 1e9,
                    diff.message());
            target.execute("UPDATE b_t.big SET qty = qty - 1 WHERE id = 424242 % " + rows);
            changedSince(source, target, rows);
        }
    }

    /**
     * One iteration's changes (5,000 keys, or every key of a smaller table) verified with {@code --changed-since}: the
     * keys read back from a topic on an embedded broker between the two markers' offsets the ledger names, then
     * looked up on both sides. The goal is under 2 s.
     */
    private static void changedSince(PostgresTestDatabase source, PostgresTestDatabase target, int rows) throws Exception {
        int every = Math.max(1, rows / 5_000);
        String change = "UPDATE %s SET name = name || '+' WHERE id %% " + every + " = 0";
        source.execute(String.format(change, "public.big"));
        target.execute(String.format(change, "b_t.big"));
        try (ConnectTestCluster kafka = ConnectTestCluster.builder("vbench").pluginPath(null).start()) {
            String topic = "b.public.big";
            kafka.createTopic(topic, 2);
            JsonConverter json = new JsonConverter();
            json.configure(Map.of(), true);
            Schema key = SchemaBuilder.struct().name("b.Key").field("id", Schema.INT64_SCHEMA).build();
            byte[] value = new byte[200]; // stands in for the change event: the reader skips values
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                records.add(marker(topic, p, 1));
            }
            for (long id = every; id <= rows; id += every) {
                records.add(new ProducerRecord<>(topic, (int) (id % 2), json.fromConnectData(topic, key,
                        new Struct(key).put("id", id)), value));
            }
            for (int p = 0; p < 2; p++) {
                records.add(marker(topic, p, 2));
            }
            kafka.send(records);
            Map<TopicPartition, Long> end = kafka.endOffsets(List.of(topic));
            List<String> ledger = new ArrayList<>(List.of("INSERT INTO tm_b.iteration (project, iteration, status,"
                    + " applied_at) VALUES ('b', 2, 'APPLIED', now())", "UPDATE tm_b.table_state SET iteration = 2"));
            end.forEach((tp, offset) -> ledger.add("INSERT INTO tm_b.iteration_partition (project, iteration, source_table,"
                    + " topic, kafka_partition, kafka_offset) VALUES ('b', 1, 'public.big', '" + topic + "', " + tp.partition()
                    + ", 0), ('b', 2, 'public.big', '" + topic + "', " + tp.partition() + ", " + (offset - 1) + ")"));
            target.execute(ledger.toArray(String[]::new));
            try (TopicKeys keys = new TopicKeys(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    Map.of("key.converter", JsonConverter.class.getName()))) {
                Verifier v = new Verifier(settings(target), settings(source), "tm_b", "b", keys);
                long started = System.nanoTime();
                Verifier.Result r = v.run(Verifier.Options.defaults().withChangedSince(1L), line -> { },
                        new AtomicBoolean());
                long nanos = System.nanoTime() - started;
                System.out.printf("verify  changed since iteration 1: %,d changed keys of a %,d-row table in %.2f s"
                        + " (goal < 2 s; %s)%n", r.tables().get(0).keysCompared(), rows, nanos / 1e9, r.message());
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> marker(String topic, int partition, long iteration) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition, null, new byte[0]);
        r.headers().add(IterationMarker.HEADER_ITERATION, Long.toString(iteration).getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static DatabaseSettings settings(PostgresTestDatabase db) {
        return new DatabaseSettings(db.jdbcUrl(), db.user(), db.password());
    }

    /** count(*) and a full read of every column, on both sides at once; the slower side's time. */
    private static long scanBoth(PostgresTestDatabase source, PostgresTestDatabase target, String s, String t)
            throws Exception {
        long started = System.nanoTime();
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> scan(source, s));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> scan(target, t));
        a.join();
        b.join();
        return System.nanoTime() - started;
    }

    private static void scan(PostgresTestDatabase db, String table) {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                rs.next();
            }
            long sum = 0;
            try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        Object o = rs.getObject(i);
                        sum += o == null ? 0 : 1;
                    }
                }
            }
            if (sum < 0) {
                throw new IllegalStateException();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
