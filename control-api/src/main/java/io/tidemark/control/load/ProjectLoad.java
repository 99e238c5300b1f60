package io.tidemark.control.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.tidemark.common.load.InitialLoadKeys;
import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.project.ConnectorFile;
import io.tidemark.control.source.SourceRequests;
import io.tidemark.sink.config.PostgresSinkConfig;
import io.tidemark.sink.naming.SourceTable;

/**
 * A project's bulk initial load, in the order that makes the target exact at marker 0: Debezium's
 * streaming runs (its replication slot active), then the load fixes its snapshot and copies the
 * tables, then marker 0 is asked for, and only then may the sink start. Marker 0 exists once a load
 * has completed; until then a failed load is simply run again.
 */
public final class ProjectLoad {

    private final ProjectServices p;
    /** Waits until {@code check} holds, bounded by the caller's deadline (with progress lines); false when it passed. */
    public interface Waiter {
        boolean until(Supplier<Boolean> check, String waitingFor);
    }

    private final BulkLoad.Settings settings;
    private final Waiter waiter;

    /** @param waiter each wait (for streaming, for marker 0) on a deadline of its own: the load itself is not bounded */
    public ProjectLoad(ProjectServices p, BulkLoad.Settings settings, Waiter waiter) {
        this.p = p;
        this.settings = settings;
        this.waiter = waiter;
    }

    /** Whether the project's source is set for a bulk load. */
    public static boolean wanted(ConnectorFile source) {
        return InitialLoadKeys.BULK.equals(source.config().get(InitialLoadKeys.INITIAL_LOAD));
    }

    /**
     * The load's settings from the project's source file: {@code iteration.initial.load.workers} (1 to 64,
     * 4 when absent), checked here as the source connector checks it, since the file is read before any
     * connector sees it.
     *
     * @throws BulkLoadException when the value is not a number of workers
     */
    public static BulkLoad.Settings settings(ConnectorFile source) {
        BulkLoad.Settings defaults = BulkLoad.Settings.defaults();
        String value = source.config().get(InitialLoadKeys.WORKERS);
        if (value == null || value.isBlank()) {
            return defaults;
        }
        int workers;
        try {
            workers = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            workers = 0;
        }
        if (workers < 1 || workers > InitialLoadKeys.WORKERS_MAX) {
            throw new BulkLoadException(InitialLoadKeys.WORKERS + " in " + source.file() + " is '" + value
                    + "': it must be a whole number from 1 to " + InitialLoadKeys.WORKERS_MAX
                    + " (the chunks copied at once)");
        }
        return new BulkLoad.Settings(workers, defaults.chunksPerWorker(), defaults.progressMs());
    }

    /** Whether the source has written a marker for the stream: after a bulk load, marker 0 says it completed. */
    public boolean markerZeroWritten() {
        return p.requests().lastMarker().isPresent();
    }

    /**
     * Whether the record holds a load of every table that completed (LOADED, none otherwise). No
     * control schema, or one from before the record existed, holds none; a record that cannot be read
     * is an error, not "no load": start would then refuse a project whose load did complete.
     */
    public boolean completedBefore() {
        try (Connection c = p.target()) {
            return p.control().bulkLoadCompleted(c);
        } catch (SQLException e) {
            throw new ControlException(ControlException.Kind.UNAVAILABLE, "cannot read the bulk load's record "
                    + p.control().bulkLoadRecord() + " in the target: " + e.getMessage().strip()
                    + ". The control API needs SELECT on it", e);
        }
    }

    /**
     * Waits for the source to stream, loads every table of the sink's {@code topics} and asks for
     * marker 0. The source connector must exist and run.
     */
    public BulkLoad.Result run(Consumer<String> say) {
        List<String> tables = tables();
        awaitStreaming(say);
        BulkLoad load = new BulkLoad(p.project().sourceDatabase(), p.project().targetDatabase(), p.project().sinkPrecheck(),
                p.project().controlProject(), settings, say);
        BulkLoad.Result result = load.run(tables, position -> say.accept("the load reads the source as of WAL "
                + position + "; Debezium streams from before it"));
        long request = p.requests().request(SourceRequests.Action.CLOSE);
        say.accept("asked the source for marker 0 (request " + request + ")");
        if (!waiter.until(() -> p.requests().handled(request).isPresent(), "the source to write marker 0")) {
            throw ControlException.refused("the source did not write marker 0 in time after the bulk load's request "
                    + request + ": is the source connector running?");
        }
        say.accept("marker 0 written: iteration 0 closes after the loaded rows and the changes before it");
        return result;
    }

    /** The source tables of the sink's topics ({@code <prefix>.<schema>.<table>}). */
    public List<String> tables() {
        List<String> topics = PostgresSinkConfig.listedTopics(p.project().sink().config());
        if (topics.isEmpty()) {
            throw ControlException.refused("the bulk load needs the sink's topics as a list (topics.regex names no "
                    + "tables in advance)");
        }
        List<String> tables = new ArrayList<>();
        for (String topic : topics) {
            tables.add(SourceTable.fromTopic(topic).qualified());
        }
        return tables;
    }

    /**
     * Debezium's PostgreSQL connector starts streaming (START_REPLICATION, the slot becomes active)
     * after it fixed the position it streams from: a snapshot taken after that misses nothing.
     */
    private void awaitStreaming(Consumer<String> say) {
        String slot = p.project().source().get("slot.name", "debezium");
        if (!waiter.until(() -> slotActive(slot), "the source's replication slot " + slot + " active")) {
            throw ControlException.refused("the source's replication slot " + slot + " is not active in time: "
                    + "Debezium does not stream yet, so the bulk load cannot fix its snapshot (look at the source "
                    + "connector's status)");
        }
        say.accept("the source streams (replication slot " + slot + " active)");
    }

    private boolean slotActive(String slot) {
        try (Connection c = p.source();
             PreparedStatement ps = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new ControlException(ControlException.Kind.UNAVAILABLE, "cannot read pg_replication_slots on the "
                    + "source: " + e.getMessage());
        }
    }
}
