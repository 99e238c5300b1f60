package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresServer;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The soak: random disruptions under a steady workload — tasks and the connector restarted,
 * workers leaving and joining, the connector paused and resumed, PostgreSQL ending the sink's
 * sessions, and PostgreSQL itself restarted once — and afterwards the target equals the source,
 * no row version or delete was applied twice (a trigger's log, not the writer's counters), and the
 * offsets PostgreSQL holds equal the topic's ends. Between two disruptions the target must have
 * received something, so a sink stuck early cannot pass the rest of the run.
 *
 * <p>The suite runs the short form (50 disruptions). The long form is
 * {@code scripts/soak.sh [disruptions] [seed]}; a failing run prints its seed, and the same seed
 * makes the same choices again. (Workers leave by being stopped: an in-JVM cluster cannot kill a
 * worker's process; the restarts and the ended sessions are the abrupt failures.)
 */
class SinkChaosIT {

    private static final Logger LOG = LoggerFactory.getLogger(SinkChaosIT.class);
    private static final String CONNECTOR = "chaos-sink";
    private static final int PARTITIONS = 4;
    private static final int TASKS = 3;

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("sink-chaos").cluster(c -> c.workers(2)
            .workerProp("scheduled.rebalance.max.delay.ms", "1000")
            // A worker that left without a goodbye holds the group's next rebalance for its session timeout.
            .workerProp("session.timeout.ms", "6000").workerProp("heartbeat.interval.ms", "1000"));

    private static PostgresTestDatabase db;
    private static ConnectTestCluster connect;

    private enum Disruption { RESTART_TASK, RESTART_CONNECTOR, END_SESSIONS, WORKER_LEAVES, WORKER_JOINS, PAUSE_RESUME }

    /** Weights of the random choice. */
    private static final Map<Disruption, Integer> WEIGHTS = Map.of(Disruption.RESTART_TASK, 5,
            Disruption.RESTART_CONNECTOR, 1, Disruption.END_SESSIONS, 5, Disruption.WORKER_LEAVES, 1,
            Disruption.WORKER_JOINS, 1, Disruption.PAUSE_RESUME, 1);

    @BeforeAll
    static void start() {
        db = PIPELINE.db();
        connect = PIPELINE.connect();
    }

    @Test
    void survivesRandomDisruptionsWithoutLosingOrRepeatingAChange() throws Exception {
        int disruptions = Integer.getInteger("tidemark.chaos.disruptions", 50);
        long seed = Long.getLong("tidemark.chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        long started = System.nanoTime();
        LOG.info("chaos: {} disruptions, seed {} (-Dtidemark.chaos.seed={} repeats this run)", disruptions, seed, seed);

        AccountWorkload workload = new AccountWorkload(connect, db, PARTITIONS, 4000, seed);
        workload.prepare();
        Map<String, String> config = SinkConnectorConfigs.sink(db, workload.topic(), TASKS);
        config.put("batch.size", "1000");
        config.put("batch.max.wait.ms", "200");
        config.put("retry.backoff.ms", "100");
        config.put("consumer.override.partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        connect.startConnector(CONNECTOR, config, TASKS);

        AtomicBoolean over = new AtomicBoolean();
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> workload.produce(10_000, over, 200, 120));
        Map<String, Integer> survived = new TreeMap<>();
        List<WorkerHandle> joined = new ArrayList<>();
        String postgresRestart;
        try {
            postgresRestart = disrupt(random, disruptions, survived, joined, workload);
            assertThat(producing).as("the disruptions happened while change events flowed").isNotDone();
        } finally {
            over.set(true);
        }
        producing.get(2, TimeUnit.MINUTES);
        connect.awaitRunning(CONNECTOR, TASKS);
        workload.awaitAllApplied(CONNECTOR, Duration.ofMinutes(3));

        int rows = workload.assertTargetEqualsSource();
        long versions = workload.assertNoChangeAppliedTwice();
        int total = survived.values().stream().mapToInt(Integer::intValue).sum();
        LOG.info("chaos: {} disruptions survived {}, the target moving between every two; PostgreSQL restart: {};"
                + " {} events, {} rows checked, 0 mismatches, {} row versions and deletes applied, none twice;"
                + " offsets equal the topic ends; {} s; seed {}", total, survived, postgresRestart, workload.produced(),
                rows, versions, (System.nanoTime() - started) / 1_000_000_000, seed);
        assertThat(postgresRestart).as("PostgreSQL was restarted once").startsWith("restarted");
        for (Disruption d : Disruption.values()) {
            assertThat(survived).as("disruptions that took effect, by kind").containsKey(d.name());
        }
        assertThat(total).as("disruptions that took effect").isGreaterThan(disruptions / 2);
    }

    /** @return what became of the PostgreSQL restart */
    private static String disrupt(Random random, int count, Map<String, Integer> survived, List<WorkerHandle> joined,
                                  AccountWorkload workload) throws InterruptedException {
        String postgresRestart = "not reached";
        List<Disruption> first = new ArrayList<>(List.of(Disruption.values()));
        Collections.shuffle(first, random);
        long appliedBefore = -1;
        for (int i = 0; i < count; i++) {
            Thread.sleep(200 + random.nextInt(1000));
            appliedBefore = awaitProgress(workload, appliedBefore, i);
            if (i == count / 2) {
                StringBuilder whyNot = new StringBuilder();
                Optional<Duration> down = PostgresServer.restart(whyNot);
                postgresRestart = down.map(d -> "restarted, down for " + d.toMillis() + " ms")
                        .orElse("NOT restarted: " + whyNot);
                if (down.isPresent()) {
                    survived.merge("POSTGRES_RESTART", 1, Integer::sum);
                } else {
                    LOG.warn("chaos: PostgreSQL could not be restarted ({}); ending the sink's sessions instead", whyNot);
                    if (db.terminateOtherSessions() > 0) { // only a disruption that took effect counts
                        survived.merge(Disruption.END_SESSIONS.name(), 1, Integer::sum);
                    }
                }
                LOG.info("chaos {}/{}: PostgreSQL {}", i + 1, count, postgresRestart);
                continue;
            }
            // Every kind first, in a random order, so that each is known to happen; then at random.
            Disruption d = i < first.size() ? first.get(i) : pick(random);
            String what = withRetry(d, random, joined);
            if (what == null) {
                d = Disruption.END_SESSIONS; // the chosen one was not possible now (no worker to spare)
                what = withRetry(d, random, joined);
            }
            if (what == null) {
                LOG.info("chaos {}/{}: nothing took effect (no session of the sink to end)", i + 1, count);
                continue;
            }
            survived.merge(d.name(), 1, Integer::sum);
            LOG.info("chaos {}/{}: {}", i + 1, count, what);
        }
        return postgresRestart;
    }

    /**
     * Waits until the target received something since the previous disruption (the trigger's log
     * grew): a sink stuck since then would otherwise pass every disruption that follows.
     *
     * @return the trigger's count now
     */
    private static long awaitProgress(AccountWorkload workload, long before, int disruption) {
        if (before >= 0) {
            Awaitility.await("the sink applied something between disruptions " + disruption + " and " + (disruption + 1))
                    .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> workload.appliedSoFar() > before);
        }
        return workload.appliedSoFar();
    }

    private static Disruption pick(Random random) {
        int total = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
        int r = random.nextInt(total);
        for (Disruption d : Disruption.values()) {
            r -= WEIGHTS.get(d);
            if (r < 0) {
                return d;
            }
        }
        throw new IllegalStateException();
    }

    private static String withRetry(Disruption d, Random random, List<WorkerHandle> joined) {
        return RestRetry.onConflict(() -> {
            try {
                return apply(d, random, joined);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** @return what was done, or null when the disruption is not possible now or did nothing */
    private static String apply(Disruption d, Random random, List<WorkerHandle> joined) throws InterruptedException {
        switch (d) {
            case RESTART_TASK -> {
                int task = random.nextInt(TASKS);
                connect.connect().restartTask(CONNECTOR, task);
                return "task " + task + " restarted";
            }
            case RESTART_CONNECTOR -> {
                connect.connect().restartConnectorAndTasks(CONNECTOR, false, true, false);
                return "connector and tasks restarted";
            }
            case END_SESSIONS -> {
                int ended = db.terminateOtherSessions();
                return ended == 0 ? null : "PostgreSQL ended " + ended + " sessions";
            }
            case WORKER_LEAVES -> {
                if (connect.connect().workers().size() < 2) {
                    return null;
                }
                WorkerHandle leaving = joined.isEmpty() ? connect.connect().workers().iterator().next()
                        : joined.remove(0);
                String url = String.valueOf(leaving.url());
                connect.connect().removeWorker(leaving);
                return "worker " + url + " left";
            }
            case WORKER_JOINS -> {
                if (connect.connect().workers().size() >= 3) {
                    return null;
                }
                WorkerHandle worker = connect.connect().addWorker();
                joined.add(worker);
                return "worker " + worker.url() + " joined";
            }
            case PAUSE_RESUME -> {
                connect.connect().pauseConnector(CONNECTOR);
                Thread.sleep(300 + random.nextInt(700));
                connect.connect().resumeConnector(CONNECTOR);
                return "connector paused and resumed";
            }
            default -> throw new IllegalStateException(d.name());
        }
    }
}
