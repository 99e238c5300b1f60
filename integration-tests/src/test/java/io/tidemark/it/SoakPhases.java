package io.tidemark.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.awaitility.Awaitility;

import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The steps of {@link PipelineSoakIT} on one sink connector, each a disruption that reports
 * whether it took effect, or a wait that fails with what it waited for: the Connect REST API
 * for the tasks, the control schema for the sink's progress, its iterations and the soft stop.
 */
final class SoakPhases {

    private final ConnectTestCluster connect;
    private final PostgresTestDatabase target;
    private final String sink;
    private final String control;

    SoakPhases(ConnectTestCluster connect, PostgresTestDatabase target, String sink, String control) {
        this.connect = connect;
        this.target = target;
        this.sink = sink;
        this.control = control;
    }

    void awaitSnapshotApplied() {
        Awaitility.await("the snapshot iteration applied").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .ignoreExceptions().until(() -> applied(0));
    }

    boolean applied(long iteration) {
        return target.count("SELECT count(*) FROM " + control + ".iteration WHERE iteration = ? AND status = 'APPLIED'",
                iteration) == 1;
    }

    /** The sum of the offsets the sink stored: it grows with every flush, staged or applied. */
    long storedOffsets() {
        return target.count("SELECT coalesce(sum(next_offset), 0) FROM " + control + ".kafka_offsets WHERE connector = ?",
                sink);
    }

    /**
     * Waits until the sink stored offsets beyond {@code before} (nothing when {@code before} is
     * negative): a sink stuck since the last disruption fails here, not at the end.
     *
     * @return the stored offsets now
     */
    long awaitProgress(long before, int disruption) {
        if (before >= 0) {
            Awaitility.await("the sink moved on between disruptions " + disruption + " and " + (disruption + 1))
                    .atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> storedOffsets() > before);
        }
        return storedOffsets();
    }

    String restartTask(int task) {
        RestRetry.onConflict(() -> {
            connect.connect().restartTask(sink, task);
            return null;
        });
        return "task " + task + " restarted";
    }

    /** Ends the sink's sessions only (its application name): the test's reader keeps its own. */
    String endSinkSessions() {
        long ended = target.count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ?"
                + " AND application_name LIKE 'tidemark-sink%'", target.name());
        return ended == 0 ? null : "PostgreSQL ended " + ended + " sessions of the sink";
    }

    String pauseAndResume(long pausedMs) throws InterruptedException {
        RestRetry.onConflict(() -> {
            connect.connect().pauseConnector(sink);
            return null;
        });
        Thread.sleep(pausedMs);
        RestRetry.onConflict(() -> {
            connect.connect().resumeConnector(sink);
            return null;
        });
        return "connector paused " + pausedMs + " ms and resumed";
    }

    boolean runsASinkTask(String workerId) {
        ConnectorStateInfo status = connect.statusOrNull(sink);
        return status != null && status.tasks().stream()
                .anyMatch(t -> workerId.equals(t.workerId()) && "RUNNING".equals(t.state()));
    }

    void awaitSinkTaskOn(String workerId) {
        Awaitility.await("worker " + workerId + " runs a task of " + sink).atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300)).until(() -> runsASinkTask(workerId));
    }

    /** Waits until every task of the sink runs, none on the (dead) worker. */
    void awaitTasksOffWorker(String workerId) {
        Awaitility.await("the tasks of dead worker " + workerId + " run elsewhere").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(300)).until(() -> {
                    ConnectorStateInfo status = connect.statusOrNull(sink);
                    return status != null && status.tasks().stream()
                            .allMatch(t -> !workerId.equals(t.workerId()) && "RUNNING".equals(t.state()));
                });
    }

    /** As the control API does: the project's desired state, until the sink accepted it (a refusal is asked again). */
    void requestSoftStop() {
        Awaitility.await("the sink accepts SOFT_STOP").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    target.execute("UPDATE " + control + ".project SET desired_state = 'SOFT_STOP'"
                            + " WHERE desired_state <> 'SOFT_STOP'");
                    return target.count("SELECT count(*) FROM " + control + ".project WHERE accepted_state = 'SOFT_STOP'")
                            == 1;
                });
    }

    /** Asks the source for the final marker; returns its iteration once written. */
    long requestFinalMarker(PostgresTestDatabase source, String prefix) {
        String requests = "tidemark_" + prefix + ".tidemark_iteration_request";
        source.execute("INSERT INTO " + requests + " (stream_name, action) VALUES ('" + prefix + "', 'FINAL')");
        Awaitility.await("the source writes the final marker").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100)).until(() -> source.count("SELECT count(*) FROM " + requests
                        + " WHERE action = 'FINAL' AND iteration IS NOT NULL") == 1);
        return source.count("SELECT iteration FROM " + requests + " WHERE action = 'FINAL'");
    }

    /** Waits until the sink has seen marker {@code iteration} in at least one partition. */
    void awaitMarkerSeen(long iteration) {
        Awaitility.await("the sink sees marker " + iteration).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> target.count("SELECT count(*) FROM " + control + ".iteration_partition WHERE iteration = ?",
                        iteration) > 0);
    }

    /** The soft stop ends: the final iteration applied, every table STOPPED. */
    void awaitSoftStopEnded(long finalIteration) {
        Awaitility.await("the soft stop ends: final iteration " + finalIteration + " applied, every table STOPPED")
                .atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    assertThat(target.rowsAsText("SELECT status, final FROM " + control + ".iteration WHERE iteration = ?",
                            finalIteration)).containsExactly("APPLIED|t");
                    List<String> statuses = target.rowsAsText("SELECT source_table || ' ' || status FROM " + control
                            + ".table_state ORDER BY 1");
                    assertThat(statuses).hasSize(SoakSource.TABLES.size()).allMatch(s -> s.endsWith(" STOPPED"));
                });
    }
}
