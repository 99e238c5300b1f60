package io.tidemark.quickstart.progress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The line the quickstart prints while the initial load (iteration 0) runs, read from the sink's
 * ledger in the target (docs/control-schema.md, {@code iteration_table} and its pace columns): the
 * rows applied so far in the tables still loading and their pace. The launcher keeps the plugins off
 * its class path, so it reads the documented columns itself. It does not ask the demo source for its
 * statistics (its freshly seeded tables were never analyzed), so no expected rows and no ETA are
 * made up; {@code bin/tidemark status} shows them where the source has an estimate.
 */
public final class LoadLine {

    private final String sql;
    private final String project;

    public LoadLine(String schema, String project) {
        String control = "\"" + schema.replace("\"", "\"\"") + "\"";
        // A table's pace counts while its flushes come (the status calls a minute without one stalled).
        this.sql = "SELECT count(*), coalesce(sum(t.upserted), 0), sum(CASE WHEN t.flushed_at > t.pace_at"
                + " AND clock_timestamp() - t.flushed_at < interval '60 seconds' THEN (t.upserted - t.pace_upserted)"
                + " / extract(epoch FROM t.flushed_at - t.pace_at)::float8 END) FROM " + control + ".table_state s"
                + " LEFT JOIN " + control + ".iteration_table t ON t.project = s.project"
                + " AND t.source_table = s.source_table AND t.iteration = 0"
                + " WHERE s.project = ? AND s.iteration IS NULL AND t.completed_at IS NULL";
        this.project = project;
    }

    /** The line, or null when no table is loading (or none has a row applied yet). */
    public String read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return of(rs.getLong(1), rs.getLong(2), rs.getObject(3, Double.class));
            }
        }
    }

    /** E.g. {@code initial load: 1,220 rows applied so far in 3 tables, 850 rows/s}. */
    static String of(long tables, long rows, Double rowsPerSecond) {
        if (tables == 0 || rows == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "initial load: %,d rows applied so far in %d %s, %s", rows, tables,
                tables == 1 ? "table" : "tables", rowsPerSecond == null ? "pace not known yet"
                        : String.format(Locale.ROOT, "%,.0f rows/s", rowsPerSecond));
    }
}
