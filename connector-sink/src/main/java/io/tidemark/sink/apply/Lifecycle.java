package io.tidemark.sink.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.config.ConsistencyMode;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.control.DesiredStates;
import io.tidemark.sink.control.PartitionStatus;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.iteration.IterationLedger;
import io.tidemark.sink.iteration.PartitionIterations;
import io.tidemark.sink.naming.SourceTable;
import io.tidemark.sink.naming.TargetTable;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.sink.offsets.PartitionPositions;
import io.tidemark.sink.schema.TableModels;

/**
 * The task's side of the table lifecycle and the iterations, on a control connection of its own
 * (so that the applier thread's flushes go on meanwhile). Every {@code lifecycle.poll.interval.ms}
 * it accepts or refuses the operator's requests, reads each table's accepted state and mode,
 * completes the iterations it waits for (applying FULL iterations when they are complete), releases
 * partitions whose iteration was applied, pauses and resumes partitions as the accepted states say,
 * retries tables an operator started again, and writes the statuses of its partitions.
 */
final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final String project;
    private final String connector;
    private final String owner;
    private final long pollIntervalMs;
    private final ConnectionFactory connections;
    private final ControlSchema controlSchema;
    private final DesiredStates desiredStates;
    private final IterationLedger ledger;
    private final IterationCoordinator coordinator;
    private final ControlTables control;
    private final OffsetStore offsetStore;
    private final TableView view;
    private final TableModels models;
    private final PartitionPositions positions;
    private final PartitionPauses pauses;
    private final PartitionIterations iterations;
    private final TableStops stops;
    private final Map<PendingBatch.PartitionKey, TableStatus> knownStatus;

    /** Partitions another task must hold for an idle task to warn that they are not spread. */
    private static final long IDLE_WARNING_PARTITIONS = 4;

    private Connection connection;
    private long nextPollMs;
    private boolean warnedIdle;
    /** Iterations a flush of this task passed a marker of: to complete at the next poll. */
    private final Set<Long> toComplete = new TreeSet<>();
    /** The connector's {@code topics} list: their tables are registered with the first claim, whoever holds them. */
    private final List<String> configuredTopics;
    /** Tables registered by this task (registration makes a configured mode a request once). */
    private final Set<SourceTable> registered = new HashSet<>();
    /** The table each partition carries. */
    private final Map<TopicPartition, SourceTable> tableOf = new HashMap<>();
    /** Partitions past a final marker, with the table's start count then: a start resumes them. */
    private final Map<TopicPartition, Long> finalStops = new HashMap<>();
    /** Tables stopped by an error in this task, with the start count then: a start retries them. */
    private final Map<SourceTable, Long> errorStops = new HashMap<>();

    Lifecycle(String project, String connector, String owner, long pollIntervalMs, ConnectionFactory connections,
              ControlSchema controlSchema, ControlTables control, OffsetStore offsetStore, IterationLedger ledger,
              TableView view, TableModels models, PartitionPositions positions, PartitionPauses pauses,
              PartitionIterations iterations, TableStops stops, Map<PendingBatch.PartitionKey, TableStatus> knownStatus,
              List<String> configuredTopics) {
        this.project = project;
        this.connector = connector;
        this.owner = owner;
        this.pollIntervalMs = pollIntervalMs;
        this.connections = connections;
        this.controlSchema = controlSchema;
        this.desiredStates = new DesiredStates(controlSchema, project);
        this.ledger = ledger;
        this.configuredTopics = configuredTopics;
        this.coordinator = new IterationCoordinator(controlSchema, project, configuredTopics.stream()
                .map(topic -> SourceTable.fromTopic(topic).qualified()).collect(Collectors.toSet()));
        this.control = control;
        this.offsetStore = offsetStore;
        this.view = view;
        this.models = models;
        this.positions = positions;
        this.pauses = pauses;
        this.iterations = iterations;
        this.stops = stops;
        this.knownStatus = knownStatus;
    }

    long pollIntervalMs() {
        return pollIntervalMs;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = connections.open();
        }
        return connection;
    }

    private void abandon() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // gone already
            }
            connection = null;
        }
    }

    /** The table a partition carries (by its topic until a record says otherwise). */
    SourceTable tableOf(TopicPartition tp) {
        return tableOf.computeIfAbsent(tp, k -> SourceTable.fromTopic(k.topic()));
    }

    void carries(TopicPartition tp, SourceTable table) {
        tableOf.put(tp, table);
    }

    /**
     * Partitions just claimed: their last markers (so their records get the right iteration), their
     * tables registered with their configured mode, and the accepted states applied at once.
     */
    void claimed(Collection<TopicPartition> partitions) throws SQLException {
        Connection c = connection();
        try {
            iterations.claimed(partitions, ledger.lastMarkers(c, partitions));
            for (TopicPartition tp : partitions) {
                registerOnce(c, tableOf(tp), tp.topic());
            }
            // Every table the configuration names has its row from the start, also while no task holds
            // its partitions yet (its topic may not even exist): it takes part from iteration 0, so the
            // iterations wait for it, and an operator sees it and can stop it.
            for (String topic : configuredTopics) {
                registerOnce(c, SourceTable.fromTopic(topic), topic);
            }
            desiredStates.read(c).forEach((name, controlRow) -> view.update(SourceTable.fromTopic(name), controlRow));
            // Only an ERROR_ABORTED row is kept as known (the table is held with its error); any other
            // stored status, stale after a restart or from the partition's previous owner, is rewritten.
            control.storedStatuses(c, partitions).forEach((tp, status) -> {
                if (status == TableStatus.ERROR_ABORTED) {
                    knownStatus.put(new PendingBatch.PartitionKey(tableOf(tp), tp), status);
                }
            });
            c.commit();
        } catch (SQLException e) {
            rollbackAndAbandon();
            throw e;
        }
        followAcceptedStates(partitions);
    }

    /** The table's row with its configured mode, written once per task (a configured mode becomes a request once). */
    private void registerOnce(Connection c, SourceTable table, String topic) throws SQLException {
        if (registered.add(table)) {
            desiredStates.register(c, table.qualified(), models.targetName(table), topic, view.configuredMode(table));
        }
    }

    void revoked(Collection<TopicPartition> partitions) {
        iterations.revoke(partitions);
        partitions.forEach(finalStops::remove);
        partitions.forEach(tableOf::remove);
    }

    /** A flush committed: partitions that held at a marker now wait for its iteration, or stop at the final one. */
    void committed(FlushOutcome outcome) {
        if (outcome.markersPassed.isEmpty()) {
            return;
        }
        toComplete.addAll(outcome.iterationsPassed);
        nextPollMs = 0; // complete what can be completed at once
        iterations.committed(outcome.markersPassed).forEach((tp, hold) -> {
            if (hold.waitForApply()) {
                pauses.pause(List.of(tp), PartitionPauses.Reason.WAITING);
            } else if (hold.isFinal()) {
                iterations.released(tp);
                stopAtFinal(tp);
            }
        });
    }

    private void stopAtFinal(TopicPartition tp) {
        DesiredStates.TableControl c = view.control(tableOf(tp));
        finalStops.put(tp, c == null ? 0 : c.startCount());
        pauses.pause(List.of(tp), PartitionPauses.Reason.FINAL);
    }

    boolean due(long nowMs) {
        return nowMs >= nextPollMs;
    }

    /**
     * The poll: requests, states, iterations, partitions, statuses. A database that does not answer
     * only delays it (the next poll tries again); the flush path has its own retries.
     */
    void poll(long nowMs) {
        nextPollMs = nowMs + pollIntervalMs;
        try {
            Connection c = connection();
            for (String decision : desiredStates.processRequests(c)) {
                LOG.info("{}: {}", connector, decision);
            }
            for (DesiredStates.ModeChange change : desiredStates.acceptedModeChanges()) {
                if (change.from() == ConsistencyMode.FULL && change.to() == ConsistencyMode.PARTIAL) {
                    applyStagedDirectly(c, SourceTable.fromTopic(change.sourceTable()));
                }
            }
            c.commit();
            desiredStates.read(c).forEach((name, row) -> view.update(SourceTable.fromTopic(name), row));
            Map<TopicPartition, PartitionIterations.Hold> waiting = iterations.waiting();
            Set<Long> wanted = new TreeSet<>(toComplete);
            waiting.values().forEach(h -> wanted.add(h.iteration()));
            for (long n : wanted) {
                IterationCoordinator.Result result = coordinator.tryComplete(c, n);
                c.commit();
                if (result.complete()) {
                    toComplete.remove(n);
                }
            }
            Set<Long> applied = ledger.fullyApplied(c, waiting.values().stream().map(PartitionIterations.Hold::iteration)
                    .toList());
            c.commit();
            waiting.forEach((tp, hold) -> {
                if (applied.contains(hold.iteration()) || !waitsInFull(tableOf(tp))) {
                    iterations.released(tp);
                    pauses.resume(List.of(tp), PartitionPauses.Reason.WAITING);
                    if (hold.isFinal()) {
                        stopAtFinal(tp);
                    }
                }
            });
            followAcceptedStates(positions.owned());
            writeStatuses(c);
            warnWhenIdleBesideABusyTask(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackAndAbandon();
            LOG.warn("{}: reading the desired states and iterations failed ({}); trying again in {} ms", connector,
                    e instanceof SQLException sql ? SqlErrors.describe(sql) : e.toString(), pollIntervalMs);
        }
    }

    /**
     * Connect's default range assignor gives every partition of a one-partition topic to the first
     * task: with many tables and tasks.max above 1, one task does all the work. A task left without
     * a partition while another holds many says so, once, with the setting that spreads them.
     */
    private void warnWhenIdleBesideABusyTask(Connection c) throws SQLException {
        if (warnedIdle || !positions.assigned().isEmpty()) {
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

    /** A table stopped or aborted leaves the FULL iterations: its partitions do not wait for the others. */
    private boolean waitsInFull(SourceTable table) {
        DesiredStates.TableControl c = view.control(table);
        return c == null || (c.mode() == ConsistencyMode.FULL && !c.accepted().leavesIterations()
                && !stops.isStopped(table));
    }

    /** Pauses and resumes the partitions as their tables' accepted states say; retries tables started again. */
    private void followAcceptedStates(Collection<TopicPartition> partitions) {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            SourceTable table = tableOf(tp);
            DesiredStates.TableControl c = view.control(table);
            if (c == null) {
                continue;
            }
            boolean held = c.accepted().holds();
            (held ? pause : resume).add(tp);
            Long stoppedAt = finalStops.get(tp);
            if (stoppedAt != null && c.startCount() > stoppedAt && !held) {
                finalStops.remove(tp);
                pauses.resume(List.of(tp), PartitionPauses.Reason.FINAL);
                LOG.info("{}: {} started again after its final iteration", connector, tp);
            }
        }
        pauses.pause(pause, PartitionPauses.Reason.DESIRED);
        pauses.resume(resume, PartitionPauses.Reason.DESIRED);
        for (SourceTable table : stops.stopped()) {
            DesiredStates.TableControl c = view.control(table);
            Long stoppedAt = errorStops.get(table);
            if (c != null && stoppedAt != null && c.startCount() > stoppedAt) {
                retry(table);
            }
        }
    }

    /**
     * The task stopped the table for an error: the table counts as stopped for every task (written
     * at once, on the control connection); a later start retries it.
     */
    void stoppedForError(SourceTable table, String reason) {
        long startCount;
        try {
            Connection c = connection();
            startCount = desiredStates.stoppedForError(c, table.qualified(), reason);
            c.commit();
        } catch (SQLException e) {
            rollbackAndAbandon();
            DesiredStates.TableControl known = view.control(table);
            startCount = known == null ? 0 : known.startCount();
            LOG.warn("{}: could not record that {} stopped ({}); its status says ERROR_ABORTED all the same",
                    connector, table, SqlErrors.describe(e));
        }
        errorStops.putIfAbsent(table, startCount);
        nextPollMs = 0;
    }

    private void retry(SourceTable table) {
        errorStops.remove(table);
        stops.clear(table);
        List<TopicPartition> partitions = positions.owned().stream().filter(tp -> tableOf(tp).equals(table)).toList();
        partitions.forEach(tp -> positions.rewindToDatabase(tp, null));
        pauses.resume(partitions, PartitionPauses.Reason.TABLE_STOPPED);
        LOG.info("{}: table {} started again after it stopped with an error: its partitions {} go on from the offsets "
                + "PostgreSQL holds", connector, table, partitions);
    }

    /** Writes the status of each partition of the task that changed. */
    private void writeStatuses(Connection c) throws SQLException {
        List<PartitionStatus> changed = new ArrayList<>();
        Map<TopicPartition, PartitionIterations.Hold> waiting = iterations.waiting();
        for (TopicPartition tp : positions.owned()) {
            SourceTable table = tableOf(tp);
            DesiredStates.Accepted accepted = view.accepted(table);
            if (pauses.has(tp, PartitionPauses.Reason.TABLE_STOPPED) && accepted != DesiredStates.Accepted.STOPPED) {
                continue; // its ERROR_ABORTED was written with the reason; an operator's stop makes it STOPPED
            }
            PendingBatch.PartitionKey key = new PendingBatch.PartitionKey(table, tp);
            TableStatus known = knownStatus.get(key);
            if (known == TableStatus.ERROR_RETRIABLE) {
                continue; // the flush path clears it when a flush of the table succeeds
            }
            TableStatus status;
            String reason = null;
            if (accepted == DesiredStates.Accepted.PAUSED) {
                status = TableStatus.PAUSED;
            } else if (accepted == DesiredStates.Accepted.STOPPED) {
                status = TableStatus.STOPPED;
            } else if (accepted == DesiredStates.Accepted.ABORTED) {
                if (known == TableStatus.ERROR_ABORTED) {
                    continue;
                }
                status = TableStatus.STOPPED;
                reason = "held: the table stopped with an error; start it to retry, or stop it";
            } else if (finalStops.containsKey(tp)) {
                // Held past the final marker; STOPPED once the final iteration is complete (accepted STOPPED).
                status = TableStatus.FINALIZING;
                reason = "passed the final marker; stops when every partition has";
            } else if (waiting.containsKey(tp)) {
                status = TableStatus.WAITING;
                reason = "at marker " + waiting.get(tp).iteration() + ", waiting for the other FULL tables";
            } else {
                status = view.runningStatus(table);
            }
            if (known != status) { // unknown too: the first poll after a claim writes every partition once
                changed.add(new PartitionStatus(table, models.targetName(table), tp, status, reason));
            }
        }
        if (!changed.isEmpty()) {
            control.setPartitionStatuses(c, changed);
            changed.forEach(s -> knownStatus.put(new PendingBatch.PartitionKey(s.table(), s.partition()), s.status()));
        }
    }

    /**
     * A FULL table of this task stopped with an error: what its partitions staged for iterations
     * not yet applied is dropped, and they go back to the start of that iteration (the offset after
     * the last marker applied), in the database and in the consumer. Nothing is lost; the other FULL
     * tables go on without it.
     */
    void abortFull(SourceTable table, Collection<TopicPartition> partitions) {
        try {
            Connection c = connection();
            String stage = stageOf(c, table);
            Map<TopicPartition, Long> epochs = positions.epochs(partitions);
            Map<TopicPartition, Long> restart = new HashMap<>();
            for (TopicPartition tp : partitions) {
                if (stage != null) {
                    DurableStage.dropPartition(c, stage, tp.partition());
                }
                Long[] applied = lastAppliedMarker(c, tp);
                if (applied == null) {
                    continue; // nothing staged yet: the stored offset is the start
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + controlSchema.table("iteration_partition")
                        + " WHERE project = ? AND topic = ? AND kafka_partition = ? AND iteration > ?")) {
                    ps.setString(1, project);
                    ps.setString(2, tp.topic());
                    ps.setInt(3, tp.partition());
                    ps.setLong(4, applied[0]);
                    ps.executeUpdate();
                }
                restart.put(tp, applied[1] + 1);
                iterations.rewoundTo(tp, applied[0]);
            }
            if (!restart.isEmpty()) {
                offsetStore.save(c, restart, epochs);
            }
            c.commit();
            positions.committed(restart);
            restart.forEach((tp, offset) -> positions.rewind(tp, offset));
            if (!restart.isEmpty()) {
                LOG.warn("{}: FULL table {} stopped: the changes its partitions staged for iterations not yet applied "
                        + "were dropped, and they start again from {} when the table is started", connector, table,
                        restart);
            }
        } catch (SQLException e) {
            rollbackAndAbandon();
            LOG.error("{}: could not drop the staged changes of FULL table {} ({}); they stay staged and are applied "
                    + "when the table rejoins", connector, table, SqlErrors.describe(e));
        }
    }

    /** The last marker of the partition whose iteration the FULL tables were given, and its offset. */
    private Long[] lastAppliedMarker(Connection c, TopicPartition tp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT p.iteration, p.kafka_offset FROM "
                + controlSchema.table("iteration_partition") + " p JOIN " + controlSchema.table("iteration") + " i"
                + " ON i.project = p.project AND i.iteration = p.iteration AND i.full_applied_at IS NOT NULL"
                + " WHERE p.project = ? AND p.topic = ? AND p.kafka_partition = ? ORDER BY p.iteration DESC LIMIT 1")) {
            ps.setString(1, project);
            ps.setString(2, tp.topic());
            ps.setInt(3, tp.partition());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    private String stageOf(Connection c, SourceTable table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT stage_name FROM " + controlSchema.table("stage_table")
                + " WHERE project = ? AND source_table = ?")) {
            ps.setString(1, project);
            ps.setString(2, table.qualified());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? DurableStage.qualified(controlSchema, rs.getString(1)) : null;
            }
        }
    }

    /** A FULL table became PARTIAL (while stopped): what it had staged is applied at once, in order. */
    private void applyStagedDirectly(Connection c, SourceTable table) throws SQLException {
        String stage = stageOf(c, table);
        if (stage == null) {
            return;
        }
        TargetTable target = models.target(table);
        ApplyCounts counts = DurableStage.applyStaged(c, stage, target, Long.MAX_VALUE);
        LOG.info("{}: {} became PARTIAL: its staged changes were applied ({} upserted, {} deleted)", connector, table,
                counts.upserted(), counts.deleted());
    }

    private void rollbackAndAbandon() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // abandoned below
            }
        }
        abandon();
    }

    void close() {
        abandon();
    }
}
