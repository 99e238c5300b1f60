package io.tidemark.sink.license;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.sink.control.ControlSchema;

/**
 * Keeps the project's usage counter tamper-evident, and says why when it is not to be trusted.
 * Three layers, each catching what the others cannot (docs/license.md, "Tamper evidence"):
 * <ul>
 *   <li>the row's seal: an edit by SQL, running or not;</li>
 *   <li>the high-water mark this task keeps in memory, the usage it knows committed: an older,
 *       sealed copy of the row put back while the task runs;</li>
 *   <li>the rest of the database: a missing row where the project has applied before (table states,
 *       this connector's offsets), and other control schemas holding the project's usage.</li>
 * </ul>
 */
final class UsageWatch {

    private static final Logger LOG = LoggerFactory.getLogger(UsageWatch.class);

    /** What a look at the row found: the row to meter on, or why it is not to be trusted. */
    record Settled(UsageRow row, String tampered) {
    }

    private final UsageLedger ledger;
    private final ControlSchemaSurvey survey;
    private final ObservedTime time;
    private final String project;
    private final String schema;
    /** The highest row known committed: read under lock, or written here and seen to commit. */
    private volatile UsageRow mark;
    /** Written by the last flush from here; whether it committed is asked of PostgreSQL at the next look. */
    private volatile UsageRow pending;
    private long pendingXid;
    private UsageHistory.Commit pendingCommit;
    /** This task's recent commits, to tell a database that went back from an older copy of the row put back. */
    private final UsageHistory history = new UsageHistory();
    private String surveyProblem;

    UsageWatch(ControlSchema control, String project, String connector, ObservedTime time) {
        this.ledger = new UsageLedger(control, project, connector);
        this.survey = new ControlSchemaSurvey(control, project, connector);
        this.time = time;
        this.project = project;
        this.schema = control.schema();
    }

    UsageLedger ledger() {
        return ledger;
    }

    /**
     * Reads the row under lock and judges it; makes it when the project has none and has applied
     * nothing here (carrying over usage another control schema holds).
     *
     * @param surveyNow also look at the other control schemas (they change rarely: not every flush)
     */
    Settled settle(Connection connection, boolean surveyNow) throws SQLException {
        UsageRow row = lockAndConfirm(connection);
        if (UsageRow.absent(row)) {
            return absent(connection, surveyNow);
        }
        if (!row.sealVerifies()) {
            return tampered("the usage row of project " + project + " in " + ledger.table()
                    + (row.seal() == null ? " carries no seal" : " does not match its seal") + " (used_bytes=" + row.usedBytes()
                    + ", last_seen_at=" + row.lastSeenAt() + "): it was changed outside the sink. " + restoreFromBackup());
        }
        UsageRow known = mark;
        if (known != null && (row.usedBytes() < known.usedBytes() || row.lastSeenAt().isBefore(known.lastSeenAt()))) {
            return tampered("the usage row of project " + project + " in " + ledger.table() + " went back to used_bytes="
                    + row.usedBytes() + ", last_seen_at=" + row.lastSeenAt() + ", below what this sink committed (used_bytes="
                    + known.usedBytes() + ", last_seen_at=" + known.lastSeenAt() + "): an older copy of the row was put "
                    + "back. Restore it with: " + known.restoreSql(ledger.table()));
        }
        mark = higher(known, row);
        if (surveyNow) {
            surveyProblem = survey.problem(survey.survey(connection), row);
        }
        return surveyProblem == null ? new Settled(row, null) : tampered(surveyProblem);
    }

    /** Reads the row under lock (null: none) and PostgreSQL's clock; learns whether the last write from here committed. */
    private UsageRow lockAndConfirm(Connection connection) throws SQLException {
        UsageLedger.Locked locked = ledger.lock(connection, pending == null ? null : pendingXid);
        if (pending != null && locked.pendingCommitted()) {
            mark = higher(mark, pending);
            history.committed(pendingCommit);
        }
        pending = null;
        pendingCommit = null;
        time.observe(locked.databaseNow(), locked.row() == null ? null : locked.row().lastSeenAt());
        return locked.row();
    }

    /**
     * Partitions claimed with the offsets the database holds. When these are the offsets this task
     * committed with an earlier usage, and the row holds that usage now, the whole database went
     * back (a failover to a standby that lacked the last commits): the lower row is the truth, and
     * the records after those offsets come again and are metered again. An older row put back alone
     * does not match the offsets, and stays below the mark.
     */
    void claimed(Connection connection, Map<TopicPartition, Long> heldOffsets) throws SQLException {
        UsageRow row = lockAndConfirm(connection);
        UsageRow known = mark;
        if (row == null || known == null || !row.sealVerifies() || row.usedBytes() >= known.usedBytes()) {
            return;
        }
        if (history.wentBackTo(heldOffsets, row.usedBytes())) {
            LOG.warn("The usage row of project {} in {} went back to used_bytes={} from {}, with this task's offsets "
                    + "{}: the database lost its last commits (a failover). The records after those offsets are "
                    + "applied and metered again.", project, ledger.table(), row.usedBytes(), known.usedBytes(),
                    heldOffsets);
            mark = row;
        }
    }

    private Settled absent(Connection connection, boolean surveyNow) throws SQLException {
        UsageRow known = mark;
        if (known != null) {
            return tampered("the usage row of project " + project + " was deleted from " + ledger.table() + " while this "
                    + "sink ran (it had committed used_bytes=" + known.usedBytes() + "). Restore it with: "
                    + known.restoreSql(ledger.table()));
        }
        // A problem elsewhere is why the row was not made: it comes first, and is looked at again.
        List<ControlSchemaSurvey.Elsewhere> others = null;
        if (surveyNow || surveyProblem != null) {
            others = survey.survey(connection);
            surveyProblem = survey.problem(others, null);
        }
        if (surveyProblem != null) {
            return tampered(surveyProblem);
        }
        if (ledger.hasHistory(connection)) {
            return tampered("the usage row of project " + project + " is missing from " + ledger.table() + ", but " + schema
                    + " holds this project's table states or this connector's Kafka offsets, and the sink makes a project's "
                    + "row before its first flush: it was deleted outside the sink. " + restoreFromBackup());
        }
        if (others == null) {
            others = survey.survey(connection);
        }
        ControlSchemaSurvey.Elsewhere from = ControlSchemaSurvey.carried(others);
        UsageRow made = UsageRow.sealed(project, from == null ? 0 : from.row().usedBytes(), time.seen(),
                from == null ? time.seen() : UsageRow.later(time.seen(), from.row().lastSeenAt()));
        if (!ledger.create(connection, made, LicenseMeter.State.OK)) {
            return settle(connection, false); // another task made it first: judge theirs
        }
        if (from != null) {
            LOG.info("Project {} meters in control schema {} from now on; its usage of {} bytes is carried over from "
                    + "control schema {}", project, schema, made.usedBytes(), from.schema());
        }
        return new Settled(made, null);
    }

    /** A sealed write of the row from here, in a transaction that may yet roll back. */
    void wrote(UsageRow row, long xid) {
        wrote(row, xid, 0, Map.of());
    }

    /** A sealed write of a flush that applied {@code bytes} and stores {@code nextOffsets}. */
    void wrote(UsageRow row, long xid, long bytes, Map<TopicPartition, Long> nextOffsets) {
        pending = row;
        pendingXid = xid;
        pendingCommit = bytes == 0 ? null : new UsageHistory.Commit(row.usedBytes(), bytes, nextOffsets);
    }

    /** The usage as of the last metered flush from here: the high-water mark, for the consumer offsets' metadata. */
    UsageRow highWater() {
        return higher(mark, pending);
    }

    private static UsageRow higher(UsageRow a, UsageRow b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return b.usedBytes() > a.usedBytes() || (b.usedBytes() == a.usedBytes() && b.lastSeenAt().isAfter(a.lastSeenAt()))
                ? b : a;
    }

    private String restoreFromBackup() {
        return "Restore the row from a backup of " + ledger.table() + " taken before the change (the whole row: its seal "
                + "travels with it)";
    }

    private static Settled tampered(String reason) {
        return new Settled(null, reason);
    }
}
