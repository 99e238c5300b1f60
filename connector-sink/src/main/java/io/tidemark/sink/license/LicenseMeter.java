package io.tidemark.sink.license;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.flush.FlushGuard;
import io.tidemark.sink.naming.Identifiers;

/**
 * License metering, per flush and exact: the bytes a flush applied are added to the project's
 * usage row in the flush's own transaction (so a replay never counts twice and a rollback never
 * counts at all), and a flush that would cross the allowance (a key's volume, or the trial's when
 * no key is offered), comes after the key expired, or finds the usage row tampered with, is refused
 * whole. The writer then pauses and asks {@link #mayResume} every few seconds whether a new key (a
 * config update restarts the task; a row in {@code license_key} does not need to) or a restored
 * row lets it go on.
 */
public final class LicenseMeter implements FlushGuard {

    private static final Logger LOG = LoggerFactory.getLogger(LicenseMeter.class);
    private static final long KEY_REFRESH_INTERVAL_MS = 30_000;

    /** What the usage row's state column says. */
    public enum State { OK, LOW, TRIAL, EXHAUSTED, EXPIRED, NO_KEY, TAMPERED }

    /** Why the last flush was refused, for the row's state. */
    private record Refusal(State state, String reason, Allowance allowance) {
    }

    private final LicenseKeyring keyring;
    private final String configKey;
    private final String project;
    private final double warnThreshold;
    private final Clock clock;
    private final String keysTable;
    private final String keysSql;
    private final ObservedTime time;
    private final UsageWatch watch;

    private LicenseKeyring.Choice choice;
    private long nextRefreshMs;
    private boolean warnedLow;
    private boolean warnedTrial;
    private Refusal refusal;
    /** The bytes of the last flush refused for want of room; 0 after a flush that went through. */
    private long refusedBatchBytes;
    /** The last flush refused for want of room left some room: a smaller one may fit. */
    private boolean roomLeft;
    private final Set<String> reportedRefusals = new HashSet<>();

    public LicenseMeter(LicenseKeyring keyring, String configKey, String project, String connector, double warnThreshold,
                        ControlSchema control, Clock clock) {
        this.keyring = keyring;
        this.configKey = configKey;
        this.project = project;
        this.warnThreshold = warnThreshold;
        this.clock = clock;
        this.keysTable = control.table("license_key");
        this.keysSql = "SELECT id, license_key FROM " + keysTable + " WHERE project = ? ORDER BY id";
        this.time = new ObservedTime(clock);
        this.watch = new UsageWatch(control, project, connector, time);
    }

    /** Makes or checks the usage row and reads the keys; commits. */
    @Override
    public void prepare(Connection connection) throws SQLException {
        UsageWatch.Settled settled = watch.settle(connection, true);
        refresh(connection);
        if (settled.tampered() != null) {
            LOG.error("License metering of project {} refuses to go on: {}", project, settled.tampered());
            watch.ledger().report(connection, new UsageLedger.Report(State.TAMPERED, settled.tampered(), null));
        } else {
            // The state is true before the first flush: TRIAL from the start, NO_KEY or EXPIRED with the reason.
            Allowance allowance = allowance(time.now());
            watch.ledger().report(connection, allowance == null
                    ? new UsageLedger.Report(refusal.state(), refusal.reason(), refusal.allowance())
                    : standing(settled.row().usedBytes(), allowance));
        }
        connection.commit();
    }

    /**
     * Reads the keys offered (config and control schema) and chooses one; the caller commits. Keys
     * are judged at {@link ObservedTime#now()}: never earlier than the latest time the sink has seen.
     */
    public LicenseKeyring.Choice refresh(Connection connection) throws SQLException {
        List<LicenseKeyring.Candidate> candidates = new ArrayList<>();
        if (configKey != null) {
            candidates.add(new LicenseKeyring.Candidate("license.key", configKey));
        }
        try (PreparedStatement ps = connection.prepareStatement(keysSql)) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new LicenseKeyring.Candidate("license_key row " + rs.getLong(1), rs.getString(2)));
                }
            }
        }
        LicenseKeyring.Choice previous = choice;
        choice = keyring.choose(candidates, time.now());
        nextRefreshMs = clock.millis() + KEY_REFRESH_INTERVAL_MS;
        for (String refused : choice.refusals()) {
            if (reportedRefusals.add(refused)) {
                LOG.warn("License key refused: {}", refused);
            }
        }
        LicenseClaims chosen = choice.chosen();
        if (chosen != null && (previous == null || previous.chosen() == null || !chosen.equals(previous.chosen()))) {
            LOG.info("Metering project {} against license key {} from {} ({} bytes, expires {})", project,
                    chosen.keyId(), choice.chosenOrigin(), chosen.maxBytes(), chosen.expires());
            warnedLow = false;
        }
        if (choice.onTrial() && !warnedTrial) {
            warnedTrial = true;
            warnedLow = false;
            LOG.warn("Project {} has no license key and runs on the trial allowance of {} bytes of applied data "
                    + "(docs/license.md); applying stops when it is used up. To go beyond it, set license.key, or run "
                    + "INSERT INTO {} (project, license_key) VALUES ({}, '<key>')", project, Allowance.TRIAL_BYTES,
                    keysTable, Identifiers.literal(project));
        }
        return choice;
    }

    /** The choice of the last {@link #refresh}. */
    LicenseKeyring.Choice choice() {
        return choice;
    }

    @Override
    public String beforeCommit(Connection connection, long appliedBytes) throws SQLException {
        return beforeCommit(connection, appliedBytes, Map.of());
    }

    @Override
    public String beforeCommit(Connection connection, long appliedBytes, Map<TopicPartition, Long> nextOffsets)
            throws SQLException {
        boolean due = choice == null || clock.millis() >= nextRefreshMs;
        if (due) {
            refresh(connection);
        }
        if (appliedBytes == 0) {
            return null; // offsets of markers or refused records only: nothing to meter
        }
        UsageWatch.Settled settled = watch.settle(connection, due);
        if (settled.tampered() != null) {
            return refuse(State.TAMPERED, settled.tampered(), null);
        }
        Allowance allowance = allowance(time.now());
        if (allowance == null) {
            return refusal.reason();
        }
        UsageRow usage = settled.row();
        long after = usage.usedBytes() + appliedBytes;
        if (after > allowance.maxBytes()) {
            refusedBatchBytes = appliedBytes;
            roomLeft = allowance.maxBytes() > usage.usedBytes();
            return refuse(State.EXHAUSTED, (allowance.isTrial() ? "the trial allowance is used up: project " + project
                    + " has no license key and has used " : "the license volume is exhausted: project " + project
                    + " has used ") + usage.usedBytes() + " of " + allowance.maxBytes() + " bytes ("
                    + allowance.describe() + ") and the next batch needs " + appliedBytes + " more. Install a key with "
                    + (allowance.isTrial() ? "a volume" : "a larger volume") + " (license.key, or a row in license_key)",
                    allowance);
        }
        UsageLedger.Report standing = standing(after, allowance);
        UsageRow written = usage.plus(appliedBytes, time.seen());
        watch.wrote(written, watch.ledger().write(connection, written, standing), appliedBytes, nextOffsets);
        if (standing.state() != State.OK && standing.state() != State.TRIAL && !warnedLow) {
            warnedLow = true;
            LOG.warn("The license runs low: project {} has used {} of {} bytes ({}%), {} bytes left ({}, warning "
                    + "at {}%)", project, after, allowance.maxBytes(), after * 100 / allowance.maxBytes(),
                    allowance.maxBytes() - after, allowance.describe(), Math.round(warnThreshold * 100));
        }
        refusal = null;
        refusedBatchBytes = 0;
        roomLeft = false;
        return null;
    }

    /** The state at {@code used} bytes: EXHAUSTED when full, LOW from the warning threshold, else TRIAL or OK. */
    private UsageLedger.Report standing(long used, Allowance allowance) {
        boolean low = used >= (long) (warnThreshold * allowance.maxBytes());
        State state = used >= allowance.maxBytes() ? State.EXHAUSTED
                : low ? State.LOW : allowance.isTrial() ? State.TRIAL : State.OK;
        String reason = low || allowance.isTrial()
                ? Math.max(0, allowance.maxBytes() - used) + " bytes left of " + allowance.maxBytes() + " ("
                + allowance.describe() + ")"
                : null;
        return new UsageLedger.Report(state, reason, allowance);
    }

    /**
     * The allowance to meter against at {@code now}: the chosen key's, or the trial's when no key is
     * offered at all; null (with {@link #refusal} set) when the keys offered are refused or expired.
     */
    private Allowance allowance(Instant now) {
        LicenseClaims key = choice.chosen();
        if (choice.onTrial()) {
            return Allowance.trial();
        }
        if (key == null) {
            refuse(State.NO_KEY, "no valid license key for project " + project + ": " + choice.explanation(), null);
            return null;
        }
        if (!choice.validAt(now)) {
            refuse(State.EXPIRED, "the license key " + key.keyId() + " is not valid at " + now + " (the latest time this "
                    + "sink has seen on the worker's and PostgreSQL's clocks): it is valid from " + key.issued() + " until "
                    + key.expires() + ", with " + LicenseClaims.CLOCK_SKEW.toMinutes() + " minutes of clock skew "
                    + "allowed. Install a renewed key (license.key, or a row in license_key)",
                    Allowance.of(key, choice.chosenOrigin()));
            return null;
        }
        return Allowance.of(key, choice.chosenOrigin());
    }

    private String refuse(State state, String reason, Allowance allowance) {
        refusal = new Refusal(state, reason, allowance);
        return reason;
    }

    /** A sealed write of the row, watched until it is known to commit. */
    private void seal(Connection connection, UsageRow row, UsageLedger.Report report) throws SQLException {
        watch.wrote(row, watch.ledger().write(connection, row, report));
    }

    /** After a failover, the usage may have gone back with the offsets held: see {@link UsageWatch#claimed}. */
    @Override
    public void claimed(Connection connection, Map<TopicPartition, Long> heldOffsets) throws SQLException {
        watch.claimed(connection, heldOffsets);
    }

    @Override
    public boolean roomLeft() {
        return refusal != null && refusal.state() == State.EXHAUSTED && roomLeft;
    }

    /**
     * Records why the flow stopped, and the latest time seen (so that a clock turned back while the
     * flow waits does not make an expired key valid again).
     */
    @Override
    public void refused(Connection connection, String reason) throws SQLException {
        Refusal why = refusal != null && refusal.reason().equals(reason) ? refusal
                : new Refusal(refusal == null ? State.NO_KEY : refusal.state(), reason, null);
        UsageWatch.Settled settled = watch.settle(connection, false);
        if (settled.tampered() != null) {
            why = new Refusal(State.TAMPERED, settled.tampered(), null);
        }
        UsageLedger.Report report = new UsageLedger.Report(why.state(), why.reason(), why.allowance());
        if (settled.tampered() == null && why.state() != State.TAMPERED) {
            seal(connection, settled.row().plus(0, time.seen()), report);
        } else {
            watch.ledger().report(connection, report);
        }
        connection.commit();
    }

    /**
     * Resume once the row can be trusted again and a key valid now (or the trial) leaves room for
     * the batch that was refused for want of it (the same records come again): with less room,
     * resuming would only refuse that batch again, every check.
     */
    @Override
    public boolean mayResume(Connection connection) throws SQLException {
        refresh(connection);
        UsageWatch.Settled settled = watch.settle(connection, true);
        boolean resume = false;
        if (settled.tampered() == null) {
            Allowance allowance = allowance(time.now());
            long needed = Math.max(1, refusedBatchBytes);
            resume = allowance != null && settled.row().usedBytes() + needed <= allowance.maxBytes();
            UsageRow seen = settled.row().plus(0, time.seen());
            if (!seen.equals(settled.row())) {
                seal(connection, seen, null);
            }
        }
        connection.commit();
        return resume;
    }

    /**
     * The usage as of this task's last metered flush, sealed, for the consumer offsets' metadata:
     * a copy outside the customer's database that an audit can compare with the row.
     */
    @Override
    public String commitMetadata() {
        UsageRow mark = watch.highWater();
        return mark == null ? null : "tidemark-usage v1 used_bytes=" + mark.usedBytes() + " last_seen_at="
                + mark.lastSeenAt() + " created_at=" + mark.createdAt() + " seal=" + mark.seal() + " project=" + project;
    }
}
