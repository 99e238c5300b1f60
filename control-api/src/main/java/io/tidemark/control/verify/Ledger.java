package io.tidemark.control.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.sink.control.ControlSchema;

/**
 * What the target snapshot says, read in the snapshot itself: the newest applied iteration N (every
 * FULL table is exactly at N, applied in the transaction that marked N applied), marker N's source
 * position (an Oracle SCN), and the project's tables with their mode and target.
 *
 * @param sourceNow when the source's snapshot was taken (its clock): the confirm pass waits for a marker after it
 */
record Ledger(Long iteration, Long scn, Instant sourceNow, List<TableRow> tables) {

    record TableRow(String source, String target, String mode, Long iteration, String topic) {
        boolean full() {
            return "FULL".equalsIgnoreCase(mode);
        }
    }

    static Ledger read(Connection target, Connection source, ControlSchema schema, String project, boolean postgresSource)
            throws SQLException {
        Long n = null;
        String position = null;
        try (PreparedStatement ps = target.prepareStatement("SELECT iteration, source_position FROM "
                + schema.table("iteration") + " WHERE project = ? AND status = 'APPLIED' ORDER BY iteration DESC LIMIT 1")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    n = rs.getLong(1);
                    position = rs.getString(2);
                }
            }
        }
        List<TableRow> tables = new ArrayList<>();
        try (PreparedStatement ps = target.prepareStatement("SELECT source_table, target_table, mode, iteration, topic FROM "
                + schema.table("table_state") + " WHERE project = ? AND target_table IS NOT NULL ORDER BY source_table")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(new TableRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, Long.class),
                            rs.getString(5)));
                }
            }
        }
        Instant now = Instant.now();
        if (postgresSource) {
            try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery("SELECT now()")) {
                rs.next();
                now = rs.getTimestamp(1).toInstant();
            }
        }
        return new Ledger(n, postgresSource ? null : scnOf(position), now, tables);
    }

    /** An Oracle marker's position is its SCN; anything else (a PostgreSQL LSN) is not one. */
    static Long scnOf(String position) {
        if (position == null || !position.matches("\\d{1,20}")) {
            return null;
        }
        return Long.parseLong(position);
    }

    /**
     * Each partition's offset of a table's marker {@code iteration} ({@code iteration_partition}): the
     * changes of iterations N+1..M in a partition lie between marker N's offset and marker M's.
     */
    static Map<Integer, Long> markerOffsets(Connection target, ControlSchema schema, String project, String sourceTable,
                                            String topic, long iteration) throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (PreparedStatement ps = target.prepareStatement("SELECT kafka_partition, kafka_offset FROM "
                + schema.table("iteration_partition") + " WHERE project = ? AND source_table = ? AND topic = ?"
                + " AND iteration = ?")) {
            ps.setString(1, project);
            ps.setString(2, sourceTable);
            ps.setString(3, topic);
            ps.setLong(4, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** The planner's estimate of a target table's rows, for the ETA. */
    static long estimate(Connection target, String table) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT greatest(reltuples, 0)::bigint FROM pg_class"
                + " WHERE oid = to_regclass(?)")) {
            ps.setString(1, Catalogs.qualified(table, false));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
