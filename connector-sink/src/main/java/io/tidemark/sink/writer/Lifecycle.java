package io.tidemark.sink.writer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.batch.PendingBatch;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.control.DesiredStates;
import io.tidemark.sink.control.TableView;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.flush.ConnectionFactory;
import io.tidemark.sink.flush.ControlConnection;
import io.tidemark.sink.flush.ErrorPolicies;
import io.tidemark.sink.flush.FlushOutcome;
import io.tidemark.sink.iteration.FullAborts;
import io.tidemark.sink.iteration.IterationCompleter;
import io.tidemark.sink.iteration.IterationCoordinator;
import io.tidemark.sink.iteration.IterationLedger;
import io.tidemark.sink.iteration.PartitionIterations;
import io.tidemark.sink.iteration.StageDirectory;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.sink.offsets.PartitionPositions;
import io.tidemark.sink.schema.TableModels;

/**
 * The task's side of the table lifecycle and the iterations, run from Connect's task thread at
 * every claim and every {@code lifecycle.poll.interval.ms}; each job is a class of its own:
 * <ul>
 * <li>{@link TableRegistry} — the tables of the task's partitions and their rows;</li>
 * <li>{@link DesiredStateFollower} — the operator's requests, pauses and retries;</li>
 * <li>{@link IterationHolds} — partitions waiting at a marker or stopped at the final one, from the ledger;</li>
 * <li>{@link IterationCompleter} — the iterations completed (FULL ones applied) on a thread of its own;</li>
 * <li>{@link FullAborts} — a FULL table stopped by an error gives back what it staged;</li>
 * <li>{@link PartitionStatusWriter} — the statuses of the task's partitions.</li>
 * </ul>
 * What a partition's state is — its accepted state, its hold, the iterations still open — is read
 * from the database every time, so a task that restarts or takes a partition over carries on.
 */
final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    /** Partitions another task must hold for an idle task to warn that they are not spread. */
    private static final long IDLE_WARNING_PARTITIONS = 4;
    /** How soon put looks again while the iteration thread works: what it completes releases partitions. */
    private static final long COMPLETION_LOOK_MS = 25;

    /** What the task keeps of its partitions, shared with the writer. */
    record TaskState(PartitionPositions positions, PartitionPauses pauses, PartitionIterations iterations,
                     TableStops stops, TableView view, Map<PendingBatch.PartitionKey, TableStatus> knownStatus) {
    }

    private final String connector;
    private final String owner;
    private final long pollIntervalMs;
    private final ControlConnection control;
    private final OffsetStore offsetStore;
    private final IterationLedger ledger;
    private final TaskState state;
    private final TableRegistry tables;
    private final IterationHolds holds;
    private final FullAborts aborts;
    private final DesiredStateFollower follower;
    private final PartitionStatusWriter statuses;
    private final IterationCompleter completer;
    private long nextPollMs;
    private boolean warnedIdle;

    Lifecycle(WriterSettings settings, String owner, String project, ConnectionFactory connections,
              ControlSchema schema, ControlTables controlTables, OffsetStore offsetStore, TableModels models,
              ErrorPolicies policies, TaskState state) {
        this.connector = settings.connector();
        this.owner = owner;
        this.pollIntervalMs = settings.lifecyclePollIntervalMs();
        this.control = new ControlConnection(connections);
        this.offsetStore = offsetStore;
        this.ledger = new IterationLedger(schema, project);
        this.state = state;
        DesiredStates desiredStates = new DesiredStates(schema, project);
        StageDirectory stages = new StageDirectory(schema, project);
        this.tables = new TableRegistry(desiredStates, models, state.view(), settings.topics());
        this.holds = new IterationHolds(ledger, state.iterations(), state.pauses(), state.view(), state.stops(), tables);
        IterationCoordinator coordinator = new IterationCoordinator(schema, project, connector, controlTables, policies,
                tables.configuredTables());
        this.aborts = new FullAborts(connector, coordinator.ledger(), stages, ledger, offsetStore, state.positions(),
                state.iterations(), state.pauses());
        this.follower = new DesiredStateFollower(connector, desiredStates, stages, state.view(), models, tables,
                state.positions(), state.pauses(), state.stops(), aborts);
        this.statuses = new PartitionStatusWriter(controlTables, models, state.view(), tables, state.positions(),
                state.pauses(), holds, state.knownStatus());
        this.completer = new IterationCompleter(connector, "tidemark-iteration-" + connector + "-" + settings.task(),
                connections, coordinator, settings.iterationApplyTimeoutMs(), pollIntervalMs);
    }

    /** Within how long Connect should call {@code put} again: soon while iterations are being completed. */
    long wakeUpMs() {
        return completer.isRunning() ? Math.min(pollIntervalMs, COMPLETION_LOOK_MS) : pollIntervalMs;
    }

    SourceTable tableOf(TopicPartition tp) {
        return tables.tableOf(tp);
    }

    void carries(TopicPartition tp, SourceTable table) {
        tables.carries(tp, table);
    }

    /** The task's partitions of a table. */
    List<TopicPartition> ownedPartitionsOf(SourceTable table) {
        return tables.partitionsOf(table, state.positions().owned());
    }

    /**
     * Partitions just claimed: their last markers (so their records get the right iteration), their
     * tables registered, and what holds them — accepted states, marker holds — applied at once.
     */
    void claimed(Collection<TopicPartition> partitions) throws SQLException {
        Connection c = control.get();
        List<TopicPartition> list = List.copyOf(partitions);
        IterationHolds.Facts facts;
        try {
            state.iterations().claimed(list, ledger.lastMarkers(c, list));
            tables.claimed(c, list);
            facts = holds.read(c, list);
            follower.refreshView(c);
            statuses.claimed(c, list);
            c.commit();
        } catch (SQLException e) {
            control.rollbackAndAbandon();
            throw e;
        }
        holds.apply(facts);
        follower.follow(list);
    }

    /**
     * After a failure that may have hidden a commit, the database's offsets for these partitions
     * differ from what the task believed: so may their last markers. Takes those from the ledger too,
     * and looks at their holds before any record of theirs is taken.
     */
    void reconciled(Connection c, Collection<TopicPartition> partitions) throws SQLException {
        state.iterations().reconciled(partitions, ledger.lastMarkers(c, partitions));
        nextPollMs = 0;
    }

    void revoked(Collection<TopicPartition> partitions) {
        state.iterations().revoke(partitions);
        holds.revoked(partitions);
        aborts.revoked(partitions);
        tables.revoked(partitions);
    }

    /** A flush committed: partitions that held at a marker pause at once; the next poll asks the ledger. */
    void committed(FlushOutcome outcome) {
        if (outcome.markersPassed.isEmpty()) {
            return;
        }
        holds.committed(state.iterations().committed(outcome.markersPassed));
        nextPollMs = 0; // complete what can be completed at once
    }

    /** Time for a poll, or an iteration was just completed (its partitions may go on). */
    boolean due(long nowMs) {
        return nowMs >= nextPollMs || completer.completedSome();
    }

    /**
     * The poll: requests, aborts, iterations, holds, states, statuses. A database that does not
     * answer only delays it (the next poll tries again); the flush path has its own retries.
     */
    void poll(long nowMs) {
        nextPollMs = nowMs + pollIntervalMs;
        completer.poke(nowMs);
        try {
            Connection c = control.get();
            follower.processRequests(c);
            c.commit();
            aborts.runPending(control);
            c = control.get();
            IterationHolds.Facts facts = holds.read(c, state.positions().owned());
            follower.refreshView(c);
            c.commit();
            holds.apply(facts);
            follower.follow(state.positions().owned());
            statuses.write(c);
            warnWhenIdleBesideABusyTask(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            control.rollbackAndAbandon();
            LOG.warn("{}: reading the desired states and iterations failed ({}); trying again in {} ms", connector,
                    e instanceof SQLException sql ? SqlErrors.describe(sql) : e.toString(), pollIntervalMs);
        }
    }

    /**
     * The task stopped the table for an error: the table counts as stopped for every task (written
     * at once, on the control connection); a later start retries it.
     */
    void stoppedForError(SourceTable table, String reason) {
        try {
            Connection c = control.get();
            follower.stoppedForError(c, table, reason);
            c.commit();
        } catch (SQLException e) {
            control.rollbackAndAbandon();
            follower.stoppedForErrorUnrecorded(table);
            LOG.warn("{}: could not record that {} stopped ({}); its status says ERROR_ABORTED all the same",
                    connector, table, SqlErrors.describe(e));
        }
        nextPollMs = 0;
    }

    /** A FULL table of this task stopped with an error: it gives back what its partitions staged (see {@link FullAborts}). */
    void abortFull(SourceTable table, Collection<TopicPartition> partitions) {
        aborts.request(table, partitions);
        aborts.runPending(control);
    }

    /**
     * Connect's default range assignor gives every partition of a one-partition topic to the first
     * task: with many tables and tasks.max above 1, one task does all the work. A task left without
     * a partition while another holds many says so, once, with the setting that spreads them.
     */
    private void warnWhenIdleBesideABusyTask(Connection c) throws SQLException {
        if (warnedIdle || !state.positions().assigned().isEmpty()) {
            return;
        }
        Map<String, Long> owners = offsetStore.partitionsPerOwner(c);
        long busiest = owners.values().stream().mapToLong(Long::longValue).max().orElse(0);
        if (busiest >= IDLE_WARNING_PARTITIONS) {
            warnedIdle = true;
            LOG.warn("{}: this task was given no partition while another task of the connector holds {} ({}). With "
                    + "Connect's default range assignor every one-partition topic goes to the first task; spread them "
                    + "with consumer.override.partition.assignment.strategy="
                    + "org.apache.kafka.clients.consumer.CooperativeStickyAssignor in the sink's configuration",
                    owner, busiest, owners);
        }
    }

    void close() {
        completer.close();
        control.close();
    }
}
