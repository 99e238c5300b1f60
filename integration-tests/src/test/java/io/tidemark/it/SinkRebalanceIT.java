package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Incremental (cooperative) rebalances while PostgreSQL keeps dropping the sink's sessions: a
 * flush that fails inside a rebalance (in {@code preCommit} or {@code close}) must neither lose the
 * records buffered for the partitions a task keeps, nor hand Connect a rewind for a partition it
 * just gave up (Connect seeks every offset it was handed, and seeking a revoked partition fails
 * the task). Workers join and leave, tasks restart; no task may fail, and the target must end
 * equal to the source with no change applied twice. Statements on the table are slowed down so
 * that a rebalance finds flushes in flight; the warnings prove flushes failed inside both
 * {@code preCommit} and {@code close}.
 */
class SinkRebalanceIT {

    private static final Logger LOG = LoggerFactory.getLogger(SinkRebalanceIT.class);
    private static final String CONNECTOR = "rebalance-sink";
    private static final int PARTITIONS = 6;
    private static final int TASKS = 3;
    /** FlushFailures' warning for a flush that failed and is retried, and SinkWriter.close's when it gave up. */
    private static final String FLUSH_FAILED = "Applying a batch failed";
    private static final String CLOSE_FLUSH_FAILED = "Could not apply the buffered records before giving up";

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("sink-rebalance").cluster(c -> c.workers(2)
            .workerProp("scheduled.rebalance.max.delay.ms", "1000")
            .workerProp("session.timeout.ms", "6000").workerProp("heartbeat.interval.ms", "1000"));

    private static PostgresTestDatabase db;
    private static ConnectTestCluster connect;
    private static AccountWorkload workload;

    @BeforeAll
    static void start() {
        db = PIPELINE.db();
        connect = PIPELINE.connect();
        workload = new AccountWorkload(connect, db, PARTITIONS, 4000, 7);
        workload.prepare();
    }

    @Test
    void cooperativeRebalancesWithFailingFlushesNeitherFailATaskNorLoseNorRepeatAChange() throws Exception {
        Map<String, String> config = SinkConnectorConfigs.sink(db, workload.topic(), TASKS);
        config.put("batch.size", "500");
        config.put("batch.max.wait.ms", "100");
        config.put("retry.backoff.ms", "50");
        config.put("consumer.override.partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
        config.put("consumer.override.heartbeat.interval.ms", "500");
        connect.startConnector(CONNECTOR, config, TASKS);

        LogCapture warnings = LogCapture.warnings();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean over = new AtomicBoolean();
        CompletableFuture<Void> watching = CompletableFuture.runAsync(() -> watchForFailedTasks(over, failures));
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> workload.produce(20_000, over, 500, 150));
        // Each statement on the table takes 300 ms (a statement trigger sleeps): the task submits a flush and
        // polls on, so a rebalance finds one in flight, and close waits for it while the sessions are ended.
        db.execute("CREATE FUNCTION public.crawl() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$",
                "CREATE TRIGGER crawl AFTER INSERT OR UPDATE OR DELETE ON hr.acct FOR EACH STATEMENT "
                        + "EXECUTE FUNCTION public.crawl()");
        try {
            for (int round = 0; round < 2; round++) {
                WorkerHandle joined = connect.connect().addWorker();
                killSessionsFor(3_000, "a worker joined");
                connect.connect().removeWorker(joined);
                killSessionsFor(3_000, "a worker left");
                int task = round % TASKS;
                RestRetry.onConflict(() -> connect.connect().restartTask(CONNECTOR, task));
                killSessionsFor(2_000, "task " + (round % TASKS) + " restarted");
            }
            assertThat(producing).as("the rebalances happened while change events flowed").isNotDone();
        } finally {
            over.set(true);
            warnings.close();
            db.execute("DROP TRIGGER crawl ON hr.acct");
        }
        producing.get(2, TimeUnit.MINUTES);
        connect.awaitRunning(CONNECTOR, TASKS);
        workload.awaitAllApplied(CONNECTOR, Duration.ofMinutes(2));
        watching.get(10, TimeUnit.SECONDS);

        assertThat(failures).as("task failures seen during the rebalances").isEmpty();
        // The scenario happened: flushes failed inside Connect's commit and inside a revocation.
        long inPreCommit = warnings.countIn("preCommit", FLUSH_FAILED);
        long inClose = warnings.countIn("close", FLUSH_FAILED, CLOSE_FLUSH_FAILED);
        LOG.info("flushes failed inside preCommit: {}, inside close: {}", inPreCommit, inClose);
        assertThat(inPreCommit).as("flushes that failed inside preCommit").isPositive();
        assertThat(inClose).as("flushes that failed inside close (partitions revoked)").isPositive();
        int rows = workload.assertTargetEqualsSource();
        long versions = workload.assertNoChangeAppliedTwice();
        LOG.info("{} events, {} rows compared, {} row versions applied, no task failed", workload.produced(), rows,
                versions);
    }

    /** Ends the sink's PostgreSQL sessions every 200 ms for a while: flushes fail inside the rebalance. */
    private static void killSessionsFor(long millis, String what) throws InterruptedException {
        LOG.info("{}: PostgreSQL ends the sink's sessions every 200 ms for {} ms", what, millis);
        long until = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < until) {
            db.terminateOtherSessions();
            Thread.sleep(200);
        }
    }

    private static void watchForFailedTasks(AtomicBoolean over, List<String> failures) {
        while (!over.get()) {
            ConnectorStateInfo info = connect.statusOrNull(CONNECTOR);
            if (info != null) {
                info.tasks().stream().filter(t -> "FAILED".equals(t.state()))
                        .forEach(t -> failures.add("task " + t.id() + ": " + t.trace()));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
