package io.tidemark.sink.license;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.tidemark.sink.control.ControlSchema;
import io.tidemark.sink.naming.Identifiers;

/**
 * The SQL of one project's row in one control schema's {@code license_usage}: read it (locked),
 * make it, write it sealed, write its reports. Decides nothing: {@link UsageWatch} does.
 */
final class UsageLedger {

    /**
     * The comment migration 2 puts on the table; a table of that name carrying it is Tidemark's
     * (how {@link ControlSchemaSurvey} finds other control schemas). A test keeps the two equal.
     */
    static final String TABLE_COMMENT = "Bytes applied per project, added in the same transaction as the rows they measure";

    /** What a locked read found: the row (null if there is none), PostgreSQL's clock, and whether a transaction committed. */
    record Locked(UsageRow row, Instant databaseNow, boolean pendingCommitted) {
    }

    /** What the unsealed columns report: the state, why, and the allowance metered against (may be null). */
    record Report(LicenseMeter.State state, String reason, Allowance allowance) {
    }

    private final String table;
    private final String project;
    private final String lockSql;
    private final String readSql;
    private final String historySql;
    private final String createSql;
    private final String writeSql;
    private final String sealOnlySql;
    private final String reportSql;
    private final String reportInsertSql;

    UsageLedger(ControlSchema control, String project, String connector) {
        this.table = control.table("license_usage");
        this.project = project;
        String row = "SELECT used_bytes, created_at, last_seen_at, seal FROM " + table + " WHERE project = ?";
        // One round trip: the row (locked, if there is one), the database's clock, and the fate of
        // the transaction that last wrote it from here (txid_status: committed, aborted, or NULL). A
        // database that never saw the transaction (a standby promoted behind the primary) has not
        // reached its id, and txid_status would fail with "in the future": its fate is unknown.
        this.lockSql = "WITH u AS (" + row + " FOR UPDATE) SELECT u.used_bytes, u.created_at, u.last_seen_at, u.seal, "
                + "clock_timestamp(), CASE WHEN x.id < txid_snapshot_xmax(txid_current_snapshot()) THEN txid_status(x.id)"
                + " END FROM (SELECT ?::bigint AS id) x LEFT JOIN u ON true";
        this.readSql = row;
        // An offset row counts only once something was applied under it: a partition may be claimed
        // (a row whose next_offset is null) before its first flush.
        this.historySql = "SELECT EXISTS (SELECT 1 FROM " + control.table("table_state") + " WHERE project = ?)"
                + " OR EXISTS (SELECT 1 FROM " + control.table("kafka_offsets") + " WHERE connector = "
                + Identifiers.literal(connector) + " AND next_offset IS NOT NULL)";
        this.createSql = "INSERT INTO " + table + " AS u (project, used_bytes, created_at, last_seen_at, seal, state) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project) DO UPDATE SET used_bytes = EXCLUDED.used_bytes, "
                + "created_at = EXCLUDED.created_at, last_seen_at = EXCLUDED.last_seen_at, seal = EXCLUDED.seal, "
                + "state = EXCLUDED.state, reason = NULL, updated_at = now() WHERE u.seal IS NULL AND u.used_bytes = 0";
        this.writeSql = "UPDATE " + table + " SET used_bytes = ?, created_at = ?, last_seen_at = ?, seal = ?, state = ?, "
                + "reason = ?, max_bytes = ?, key_id = ?, expires_at = ?, updated_at = now() WHERE project = ? "
                + "RETURNING txid_current()";
        this.sealOnlySql = "UPDATE " + table + " SET used_bytes = ?, created_at = ?, last_seen_at = ?, seal = ?"
                + " WHERE project = ? RETURNING txid_current()";
        this.reportSql = "UPDATE " + table + " SET state = ?, reason = ?, max_bytes = ?, key_id = ?, expires_at = ?, "
                + "updated_at = now() WHERE project = ?";
        this.reportInsertSql = "INSERT INTO " + table + " (state, reason, max_bytes, key_id, expires_at, project) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project) DO NOTHING";
    }

    /** {@code "schema".license_usage}, for messages. */
    String table() {
        return table;
    }

    /** Reads the row FOR UPDATE, with PostgreSQL's clock and whether transaction {@code xid} (may be null) committed. */
    Locked lock(Connection connection, Long xid) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(lockSql)) {
            ps.setString(1, project);
            ps.setObject(2, xid, Types.BIGINT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                UsageRow row = rs.getObject(1) == null ? null : row(rs);
                return new Locked(row, rs.getObject(5, OffsetDateTime.class).toInstant(), "committed".equals(rs.getString(6)));
            }
        }
    }

    /** Reads the row without locking it (another control schema's); null if there is none. */
    UsageRow read(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(readSql)) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    /** Whether the schema holds table states of the project or Kafka offsets of the connector: it has applied before. */
    boolean hasHistory(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(historySql)) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Makes the row, sealed, unless one the sink wrote exists; false if one did. */
    boolean create(Connection connection, UsageRow row, LicenseMeter.State state) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(createSql)) {
            ps.setString(1, project);
            ps.setLong(2, row.usedBytes());
            ps.setObject(3, timestamp(row.createdAt()));
            ps.setObject(4, timestamp(row.lastSeenAt()));
            ps.setString(5, row.seal());
            ps.setString(6, state.name());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Writes the row sealed, with the report when one is given.
     *
     * @return the id of the writing transaction, to learn later whether it committed
     */
    long write(Connection connection, UsageRow row, Report report) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(report == null ? sealOnlySql : writeSql)) {
            ps.setLong(1, row.usedBytes());
            ps.setObject(2, timestamp(row.createdAt()));
            ps.setObject(3, timestamp(row.lastSeenAt()));
            ps.setString(4, row.seal());
            int next = 5;
            if (report != null) {
                next = bindReport(ps, next, report);
            }
            ps.setString(next, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Writes only the report; a missing row is inserted without seal, so that its state shows. */
    void report(Connection connection, Report report) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(reportSql)) {
            ps.setString(bindReport(ps, 1, report), project);
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(reportInsertSql)) {
            ps.setString(bindReport(ps, 1, report), project);
            ps.executeUpdate();
        }
    }

    private static int bindReport(PreparedStatement ps, int at, Report report) throws SQLException {
        Allowance allowance = report.allowance();
        ps.setString(at, report.state().name());
        ps.setString(at + 1, report.reason());
        ps.setObject(at + 2, allowance == null ? null : allowance.maxBytes(), Types.BIGINT);
        ps.setString(at + 3, allowance == null ? null : allowance.keyId());
        ps.setObject(at + 4, allowance == null ? null : timestamp(allowance.expires()), Types.TIMESTAMP_WITH_TIMEZONE);
        return at + 5;
    }

    private UsageRow row(ResultSet rs) throws SQLException {
        OffsetDateTime created = rs.getObject(2, OffsetDateTime.class);
        OffsetDateTime seen = rs.getObject(3, OffsetDateTime.class);
        return new UsageRow(project, rs.getLong(1), created == null ? null : created.toInstant(),
                seen == null ? null : seen.toInstant(), rs.getString(4));
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
