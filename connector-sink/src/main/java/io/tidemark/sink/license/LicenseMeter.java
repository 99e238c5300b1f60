package io.tidemark.sink.license;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.common.license.LicenseClaims;
import io.tidemark.sink.apply.FlushGuard;
import io.tidemark.sink.control.ControlSchema;

/**
 * License metering, per flush and exact: the bytes a flush applied are added to the project's
 * usage row in the flush's own transaction (so a replay never counts twice and a rollback never
 * counts at all), and a flush that would cross the licensed volume, or comes after the key
 * expired, is refused whole. The writer then pauses and asks {@link #mayResume} every few seconds
 * whether a new key (a config update restarts the task; a row in {@code license_key} does not need
 * to) lets it go on.
 */
public final class LicenseMeter implements FlushGuard {

    private static final Logger LOG = LoggerFactory.getLogger(LicenseMeter.class);
    private static final long KEY_REFRESH_INTERVAL_MS = 30_000;

    /** What the usage row's state column says. */
    public enum State { OK, LOW, EXHAUSTED, EXPIRED, NO_KEY }

    private final LicenseKeyring keyring;
    private final String configKey;
    private final String project;
    private final double warnThreshold;
    private final Clock clock;
    private final String keysSql;
    private final String ensureUsageSql;
    private final String lockUsageSql;
    private final String addUsageSql;
    private final String stateSql;

    private LicenseKeyring.Choice choice;
    private long nextRefreshMs;
    private boolean warnedLow;
    private final Set<String> reportedRefusals = new HashSet<>();

    public LicenseMeter(LicenseKeyring keyring, String configKey, String project, double warnThreshold,
                        ControlSchema control, Clock clock) {
        this.keyring = keyring;
        this.configKey = configKey;
        this.project = project;
        this.warnThreshold = warnThreshold;
        this.clock = clock;
        String usage = control.table("license_usage");
        this.keysSql = "SELECT id, license_key FROM " + control.table("license_key") + " WHERE project = ? ORDER BY id";
        this.ensureUsageSql = "INSERT INTO " + usage + " (project) VALUES (?) ON CONFLICT DO NOTHING";
        this.lockUsageSql = "SELECT used_bytes FROM " + usage + " WHERE project = ? FOR UPDATE";
        this.addUsageSql = "UPDATE " + usage + " SET used_bytes = used_bytes + ?, max_bytes = ?, key_id = ?, expires_at = ?,"
                + " state = ?, reason = ?, updated_at = now() WHERE project = ?";
        this.stateSql = "UPDATE " + usage + " SET state = ?, reason = ?, max_bytes = ?, key_id = ?, expires_at = ?,"
                + " updated_at = now() WHERE project = ?";
    }

    @Override
    public void prepare(Connection connection) throws SQLException {
        refresh(connection);
        connection.commit();
    }

    /** Reads the keys offered (config and control schema) and chooses one; the caller commits. */
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
        try (PreparedStatement ps = connection.prepareStatement(ensureUsageSql)) {
            ps.setString(1, project);
            ps.executeUpdate();
        }
        LicenseKeyring.Choice previous = choice;
        choice = keyring.choose(candidates, clock.instant());
        nextRefreshMs = clock.millis() + KEY_REFRESH_INTERVAL_MS;
        for (String refusal : choice.refusals()) {
            if (reportedRefusals.add(refusal)) {
                LOG.warn("License key refused: {}", refusal);
            }
        }
        LicenseClaims chosen = choice.chosen();
        if (chosen != null && (previous == null || previous.chosen() == null || !chosen.equals(previous.chosen()))) {
            LOG.info("Metering project {} against license key {} from {} ({} bytes, expires {})", project,
                    chosen.keyId(), choice.chosenOrigin(), chosen.maxBytes(), chosen.expires());
            warnedLow = false;
        }
        return choice;
    }

    @Override
    public String beforeCommit(Connection connection, long appliedBytes) throws SQLException {
        if (choice == null || clock.millis() >= nextRefreshMs) {
            refresh(connection);
        }
        if (appliedBytes == 0) {
            return null; // offsets of markers or refused records only: nothing to meter
        }
        Instant now = clock.instant();
        LicenseClaims key = choice.chosen();
        if (key == null || !choice.validAt(now)) {
            return stopReason(now);
        }
        long used;
        try (PreparedStatement ps = connection.prepareStatement(lockUsageSql)) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                used = rs.getLong(1);
            }
        }
        long after = used + appliedBytes;
        if (after > key.maxBytes()) {
            return "the license volume is exhausted: project " + project + " has used " + used + " of "
                    + key.maxBytes() + " bytes (key " + key.keyId() + ") and the next batch needs " + appliedBytes
                    + " more. Install a key with a larger volume (license.key, or a row in license_key)";
        }
        boolean low = after >= (long) (warnThreshold * key.maxBytes());
        String reason = low ? (key.maxBytes() - after) + " bytes left of " + key.maxBytes() : null;
        try (PreparedStatement ps = connection.prepareStatement(addUsageSql)) {
            ps.setLong(1, appliedBytes);
            ps.setLong(2, key.maxBytes());
            ps.setString(3, key.keyId());
            ps.setTimestamp(4, Timestamp.from(key.expires()));
            ps.setString(5, (low ? State.LOW : State.OK).name());
            ps.setString(6, reason);
            ps.setString(7, project);
            ps.executeUpdate();
        }
        if (low && !warnedLow) {
            warnedLow = true;
            LOG.warn("The license runs low: project {} has used {} of {} bytes ({}%), {} bytes left (key {}, warning "
                    + "at {}%)", project, after, key.maxBytes(), after * 100 / key.maxBytes(), key.maxBytes() - after,
                    key.keyId(), Math.round(warnThreshold * 100));
        }
        return null;
    }

    private String stopReason(Instant now) {
        LicenseClaims key = choice.chosen();
        if (key == null) {
            return "no valid license key for project " + project + ": " + choice.explanation();
        }
        return "the license key " + key.keyId() + " is not valid now (" + now + "): it is valid from " + key.issued()
                + " until " + key.expires() + ". Install a renewed key (license.key, or a row in license_key)";
    }

    @Override
    public void refused(Connection connection, String reason) throws SQLException {
        LicenseClaims key = choice == null ? null : choice.chosen();
        State state = key == null ? State.NO_KEY : !choice.validAt(clock.instant()) ? State.EXPIRED : State.EXHAUSTED;
        try (PreparedStatement ps = connection.prepareStatement(stateSql)) {
            ps.setString(1, state.name());
            ps.setString(2, reason);
            ps.setObject(3, key == null ? null : key.maxBytes());
            ps.setString(4, key == null ? null : key.keyId());
            ps.setTimestamp(5, key == null ? null : Timestamp.from(key.expires()));
            ps.setString(6, project);
            ps.executeUpdate();
        }
        connection.commit();
    }

    /** Resume once a key valid now leaves room beyond what is used. */
    @Override
    public boolean mayResume(Connection connection) throws SQLException {
        refresh(connection);
        LicenseClaims key = choice.chosen();
        boolean resume = false;
        if (key != null && choice.validAt(clock.instant())) {
            try (PreparedStatement ps = connection.prepareStatement(
                    lockUsageSql.replace(" FOR UPDATE", ""))) {
                ps.setString(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                    resume = rs.next() && rs.getLong(1) < key.maxBytes();
                }
            }
        }
        connection.commit();
        return resume;
    }
}
