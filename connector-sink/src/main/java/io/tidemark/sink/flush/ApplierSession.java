package io.tidemark.sink.flush;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.batch.PendingBatch;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.control.ControlTables;
import io.tidemark.sink.copy.SegmentEncoder;
import io.tidemark.sink.errors.SqlErrors;
import io.tidemark.sink.iteration.IterationLedger;
import io.tidemark.sink.offsets.OffsetStore;
import io.tidemark.sink.schema.TableSynchronizer;
import io.tidemark.sink.control.TableView;

/**
 * The task's connection to the target database and the {@link BatchApplier} bound to it: opened
 * on first use (creating or upgrading the control schema and registering the project), abandoned
 * after any failure that may have left it in doubt, and opened again on the next use.
 */
public final class ApplierSession {

    private static final Logger LOG = LoggerFactory.getLogger(ApplierSession.class);

    private final ConnectionFactory connections;
    private final ControlSchema controlSchema;
    private final ControlTables control;
    private final OffsetStore offsetStore;
    private final TableSynchronizer synchronizer;
    private final SegmentEncoder encoder;
    private final ErrorPolicies policies;
    private final FlushGuard guard;
    private final IterationLedger ledger;
    private final TableView view;
    /** Outlives connections: what each table partition's status is in the database. */
    private final Map<PendingBatch.PartitionKey, TableStatus> knownStatus = new ConcurrentHashMap<>();
    /** Outlives connections too: a retry on a new one does not start a move's wait again. */
    private final MoveWaits moveWaits = new MoveWaits();

    private BatchApplier applier;
    /** The open connection, for an abort from another thread. */
    private volatile Connection current;

    public ApplierSession(ConnectionFactory connections, ControlSchema controlSchema, ControlTables control,
                   OffsetStore offsetStore, TableSynchronizer synchronizer, SegmentEncoder encoder,
                   ErrorPolicies policies, FlushGuard guard, IterationLedger ledger, TableView view) {
        this.connections = connections;
        this.controlSchema = controlSchema;
        this.control = control;
        this.offsetStore = offsetStore;
        this.synchronizer = synchronizer;
        this.encoder = encoder;
        this.policies = policies;
        this.guard = guard;
        this.ledger = ledger;
        this.view = view;
    }

    /** The applier, connecting first when there is no connection. */
    public BatchApplier applier() throws SQLException {
        if (applier != null) {
            return applier;
        }
        Connection c = connections.open();
        current = c;
        try {
            controlSchema.ensure(c);
            control.registerProject(c);
            c.commit();
            if (guard != null) {
                guard.prepare(c);
            }
        } catch (SQLException | RuntimeException e) {
            current = null;
            closeQuietly(c);
            throw e;
        }
        applier = new BatchApplier(c, synchronizer, encoder, policies, offsetStore, control, controlSchema, ledger, view,
                guard, knownStatus, moveWaits);
        return applier;
    }

    public Connection connection() throws SQLException {
        return applier().connection();
    }

    /**
     * Connects and prepares the control schema. A database that refuses the task (wrong password,
     * no such database, missing rights) fails the start at once, saying what to check; one that is
     * only unreachable for now (restarting, a dropped connection) does not: the task starts and
     * takes its partitions over as soon as the database answers.
     */
    public void prepare(String owner) {
        try {
            applier();
        } catch (SQLException e) {
            abandon();
            if (SqlErrors.isTransient(e)) {
                LOG.warn("{} cannot reach the target database yet ({}); it starts anyway and keeps trying", owner,
                        SqlErrors.describe(e));
                return;
            }
            throw new ConnectException("Cannot prepare the target database (" + SqlErrors.describe(e) + "). Check "
                    + "connection.url, the user's rights (CREATE on the database for the control schema '"
                    + controlSchema.schema() + "') and that PostgreSQL is up.", e);
        }
    }

    /** Closes the connection; the next use opens a new one. */
    public void abandon() {
        if (applier != null) {
            applier.close();
            applier = null;
        }
        current = null;
    }

    /**
     * Ends the connection's I/O at once, from any thread: a statement blocked on it fails. Used when
     * a flush must not be waited for any longer.
     */
    public void abort() {
        Connection c = current;
        if (c == null) {
            return;
        }
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Aborting the connection failed: {}", e.getMessage());
        }
    }

    public ControlTables control() {
        return control;
    }

    /** What each table partition's status is in the database, as far as this task knows. */
    public Map<PendingBatch.PartitionKey, TableStatus> knownStatus() {
        return knownStatus;
    }

    /** Forgets the statuses known for partitions the task no longer has. */
    public void forgetStatuses(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
        knownStatus.keySet().removeIf(k -> partitions.contains(k.partition()));
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing
        }
    }
}
