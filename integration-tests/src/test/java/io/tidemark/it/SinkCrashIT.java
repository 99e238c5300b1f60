package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Crash consistency: while change events flow, tasks are restarted, the connector is restarted,
 * PostgreSQL drops the sink's connections and a worker leaves and another joins. Afterwards the
 * target must equal the source's final state, no change may have been applied twice (a trigger
 * records every applied row version; they must rise strictly per row), and the offsets stored in
 * PostgreSQL must equal the topic's end offsets. Then an offsets reset replays everything again.
 */
class SinkCrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(SinkCrashIT.class);
    private static final String CONNECTOR = "crash-sink";
    private static final int PARTITIONS = 3;
    private static final int EVENTS = 45_000;

    private static PostgresTestDatabase db;
    private static ConnectTestCluster connect;

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("sink-crash").cluster(c -> c.workers(2)
            // A leaving worker's tasks move at once instead of after the default 5 minutes.
            .workerProp("scheduled.rebalance.max.delay.ms", "1000"));

    private static AccountWorkload workload;

    @BeforeAll
    static void start() {
        db = PIPELINE.db();
        connect = PIPELINE.connect();
        workload = new AccountWorkload(connect, db, PARTITIONS, 3000, 42);
        workload.prepare();
    }

    /** The producer goes on past EVENTS until the disruptions are over, so that all of them meet a flow. */
    private final AtomicBoolean disruptionsOver = new AtomicBoolean();

    @Test
    void restartsCrashesAndWorkerChangesNeitherLoseNorRepeatAChange() throws Exception {
        Map<String, String> config = SinkConnectorConfigs.sink(db, workload.topic(), PARTITIONS);
        config.put("batch.size", "2000");
        config.put("retry.backoff.ms", "100");
        connect.startConnector(CONNECTOR, config, PARTITIONS);

        // about 18 s of flow, spread over the disruptions
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() ->
                workload.produce(EVENTS, disruptionsOver, 1000, 400));
        try {
            disrupt(producing);
        } finally {
            disruptionsOver.set(true);
        }
        producing.get(3, TimeUnit.MINUTES);

        workload.awaitAllApplied(CONNECTOR, Duration.ofMinutes(3));
        workload.assertTargetEqualsSource();
        workload.assertNoChangeAppliedTwice();
        connect.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, PARTITIONS, "tasks down");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(SinkPipelineIT.groupOffsets(connect, CONNECTOR)).isEqualTo(workload.endOffsets()));

        // A reset through the REST offsets API replays the whole topic into an empty target.
        connect.connect().stopConnector(CONNECTOR);
        connect.connect().assertions().assertConnectorIsStopped(CONNECTOR, "not stopped");
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> connect.connect().resetConnectorOffsets(CONNECTOR) != null);
        workload.truncateTarget();
        connect.connect().resumeConnector(CONNECTOR);
        workload.awaitAllApplied(CONNECTOR, Duration.ofMinutes(3));
        workload.assertTargetEqualsSource();
        workload.assertNoChangeAppliedTwice();
    }

    private void disrupt(CompletableFuture<Void> producing) throws InterruptedException {
        pause(1500);
        note("restart task 0");
        connect.connect().restartTask(CONNECTOR, 0);
        pause(1500);
        note("PostgreSQL terminates the sink's sessions (" + db.terminateOtherSessions() + " ended)");
        pause(1000);
        note("restart the connector and its tasks");
        connect.connect().restartConnectorAndTasks(CONNECTOR, false, true, false);
        pause(1500);
        note("PostgreSQL terminates the sink's sessions again (" + db.terminateOtherSessions() + " ended)");
        pause(1000);
        WorkerHandle leaving = connect.workerRunningATaskOf(CONNECTOR); // a sink task is lost
        note("worker " + leaving.url() + " leaves");
        connect.connect().removeWorker(leaving);
        pause(2000);
        note("a new worker joins");
        connect.connect().addWorker();
        pause(1000);
        note("restart task 1");
        connect.connect().restartTask(CONNECTOR, 1);
        assertThat(producing).as("the disruptions happened while change events flowed").isNotDone();
        connect.awaitRunning(CONNECTOR, PARTITIONS);
    }

    private void note(String disruption) {
        LOG.info("Disruption after {} events (at least {} in all): {}", workload.produced(), EVENTS, disruption);
    }

    private static void pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }
}
