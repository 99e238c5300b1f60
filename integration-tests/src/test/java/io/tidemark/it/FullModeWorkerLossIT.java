package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Two workers, the FULL sink's two tasks spread over them, money moving between two tables in the
 * source; in the middle of an iteration one worker leaves. A reader of the target never sees
 * another total, nothing is lost or applied twice (the target ends equal to the source), and the
 * ledger's counts are the changes the topics carried, iteration by iteration.
 */
class FullModeWorkerLossIT {

    private static final Logger LOG = LoggerFactory.getLogger(FullModeWorkerLossIT.class);
    private static final AccountTransfers MONEY = new AccountTransfers(30, 1_000);

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("full-worker-loss").cluster(c -> c.workers(2)
            .workerProp("scheduled.rebalance.max.delay.ms", "1000")
            .workerProp("session.timeout.ms", "6000").workerProp("heartbeat.interval.ms", "1000"));

    private static PostgresTestDatabase target;
    private static PostgresTestDatabase source;
    private static ConnectTestCluster connect;

    @BeforeAll
    static void start() {
        target = PIPELINE.db();
        connect = PIPELINE.connect();
        source = PIPELINE.database("worker_loss_src");
        MONEY.createIn(source);
    }

    @Test
    void aWorkerLeavingMidIterationLosesNothingDoublesNothingAndTearsNothing() throws Exception {
        connect.startConnector("money-source", SourceConnectorConfigs.postgres(source, connect, "money",
                List.of("x", "y"), 1_500), 1);
        Map<String, String> sink = SinkConnectorConfigs.sink(target, "money.public.x,money.public.y", 2, "money");
        sink.put("consistency.mode", "full");
        sink.put("target.schema", "money");
        sink.put("lifecycle.poll.interval.ms", "100");
        sink.put("batch.max.wait.ms", "100");
        sink.put("consumer.override.partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        connect.startConnector("money-sink", sink, 2);

        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<AccountTransfers.Totals> reader = CompletableFuture.supplyAsync(
                () -> MONEY.watchTotals(target, "money", "tidemark", stop));
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> MONEY.transfer(source, 11, stop));
        try {
            awaitApplied(2);
            // Mid-iteration: the staged changes of the next iteration are there, its marker is not.
            WorkerHandle leaving = connect.workerRunningATaskOf("money-sink"); // a sink task is lost
            LOG.info("worker {} leaves", leaving.url());
            connect.connect().removeWorker(leaving);
            connect.awaitRunning("money-sink", 2);
            long appliedAtLoss = appliedIterations();
            awaitApplied(appliedAtLoss + 3);
        } finally {
            stop.set(true);
        }
        int transfers = writer.get(30, TimeUnit.SECONDS);
        AccountTransfers.Totals seen = reader.get(30, TimeUnit.SECONDS);
        ConsistencyPipelineIT.requestMarker(source, "money");
        Awaitility.await("the target equals the source").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(AccountTransfers.balances(target, "money"))
                        .isEqualTo(AccountTransfers.balances(source, "public")));
        LOG.info("{} transfers; reader of the target: {}", transfers, seen);
        assertThat(seen.checked()).isGreaterThan(100);
        assertThat(seen.uninterpretable()).as("reads of the target that could not be checked").isEmpty();
        assertThat(seen.wrong()).as("totals a reader of the target saw").isEmpty();

        Map<String, long[]> fromTopics = changesPerIteration();
        List<Map<String, Object>> ledger = target.query("SELECT iteration, source_table, upserted, deleted FROM"
                + " tidemark.iteration_table WHERE iteration >= 1 AND completed_at IS NOT NULL ORDER BY 1, 2");
        assertThat(ledger).hasSizeGreaterThanOrEqualTo(8);
        for (Map<String, Object> row : ledger) {
            String key = row.get("iteration") + " " + row.get("source_table");
            long[] expected = fromTopics.getOrDefault(key, new long[2]);
            assertThat(new long[] {(Long) row.get("upserted"), (Long) row.get("deleted")})
                    .as("iteration %s: upserted and deleted, against the distinct keys the topics changed", key)
                    .containsExactly(expected);
        }
        LOG.info("ledger: {} table iterations, each equal to the changes its topics carried", ledger.size());
        connect.connect().deleteConnector("money-sink");
        connect.connect().deleteConnector("money-source");
    }

    private static long appliedIterations() {
        return target.count("SELECT count(*) FROM tidemark.iteration WHERE iteration >= 1 AND status = 'APPLIED'");
    }

    private static void awaitApplied(long iterations) {
        Awaitility.await(iterations + " iterations applied").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(() -> appliedIterations() >= iterations);
    }

    /**
     * From the topics themselves: per iteration N (N ≥ 1) and table, the distinct keys changed
     * between marker N−1 and marker N, by their last change — upserted or deleted.
     */
    private static Map<String, long[]> changesPerIteration() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ConsumerRecords<byte[], byte[]> records = connect.connect().kafka().consumeAll(30_000,
                "money.public.x", "money.public.y");
        Map<String, Map<String, String>> lastOp = new HashMap<>();
        Map<String, Long> iterationOf = new HashMap<>(); // per topic partition: the iteration its next change belongs to
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String tp = r.topic() + "-" + r.partition();
            if (r.value() == null) {
                continue; // a tombstone repeats the delete
            }
            try {
                JsonNode value = json.readTree(r.value());
                String table = "public." + r.topic().substring(r.topic().lastIndexOf('.') + 1);
                if ("io.tidemark.IterationMarker".equals(value.path("schema").path("name").asText())) {
                    iterationOf.put(tp, value.path("payload").path("iteration").asLong() + 1);
                    continue;
                }
                long iteration = iterationOf.getOrDefault(tp, 0L);
                String id = json.readTree(r.key()).path("payload").path("id").asText();
                lastOp.computeIfAbsent(iteration + " " + table, k -> new HashMap<>())
                        .put(id, value.path("payload").path("op").asText());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        Map<String, long[]> counts = new HashMap<>();
        lastOp.forEach((key, ops) -> {
            long deletes = ops.values().stream().filter("d"::equals).count();
            counts.put(key, new long[] {ops.size() - deletes, deletes});
        });
        return counts;
    }
}
