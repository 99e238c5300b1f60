package io.tidemark.control.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The rows the source expects in its tables, from its own statistics, for the initial load's
 * progress: PostgreSQL's {@code pg_class.reltuples}, Oracle's {@code ALL_TABLES.NUM_ROWS}. Only what
 * the catalog knows: a table never analyzed (reltuples -1, or 0 before any statistics; NUM_ROWS or
 * LAST_ANALYZED null) has no estimate, never a made-up one. One query per read, by schema (owner).
 */
public final class RowEstimates {

    static final String POSTGRES = "SELECT n.nspname, c.relname, c.reltuples FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (?)";
    /** The owners' placeholders follow, {@code (?, ?, …)}. */
    static final String ORACLE = "SELECT owner, table_name, CASE WHEN last_analyzed IS NULL THEN NULL ELSE num_rows END"
            + " FROM all_tables WHERE owner IN ";

    private RowEstimates() {
    }

    /**
     * @param tables {@code SCHEMA.TABLE} as the topics name them
     * @return the estimate of each table the catalog has one for (absent: unknown)
     */
    public static Map<String, Long> read(Connection source, boolean oracle, Collection<String> tables)
            throws SQLException {
        Map<String, Long> estimates = new HashMap<>();
        if (tables.isEmpty()) {
            return estimates;
        }
        Set<String> schemas = new LinkedHashSet<>();
        tables.forEach(t -> schemas.add(schemaOf(t)));
        try (PreparedStatement ps = source.prepareStatement(oracle ? oracleSql(schemas.size()) : POSTGRES)) {
            if (oracle) {
                int i = 1;
                for (String s : schemas) {
                    ps.setString(i++, s);
                }
            } else {
                ps.setArray(1, source.createArrayOf("text", schemas.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1) + "." + rs.getString(2);
                    Long estimate = estimate(oracle, rs.getObject(3) == null ? null : rs.getDouble(3));
                    if (estimate != null && tables.contains(table)) {
                        estimates.put(table, estimate);
                    }
                }
            }
        }
        return estimates;
    }

    static String oracleSql(int owners) {
        return ORACLE + "(" + String.join(", ", java.util.Collections.nCopies(owners, "?")) + ")";
    }

    /** The catalog's figure as an estimate, or null when it holds none. */
    static Long estimate(boolean oracle, Double catalog) {
        if (catalog == null) {
            return null; // Oracle: never analyzed
        }
        if (!oracle && catalog <= 0) {
            return null; // PostgreSQL: -1 never analyzed (14+), 0 no statistics before (or an empty table: unknowable)
        }
        return Math.round(catalog);
    }

    private static String schemaOf(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? "public" : table.substring(0, dot);
    }
}
