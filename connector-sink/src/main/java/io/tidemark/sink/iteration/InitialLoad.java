package io.tidemark.sink.iteration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import io.tidemark.sink.control.ControlSchema;

/**
 * The initial load (iteration 0: the snapshot, then the changes up to marker 0) as the ledger shows
 * it while it runs, for the control API's status and the quickstart: per table that has completed no
 * iteration yet, the rows applied so far and their pace, read from {@code iteration_table} (the
 * flushes keep an earlier reading there, migration 8); and the figures a person reads, against the
 * rows the source expects (its own estimate, possibly stale: progress never passes 100 %).
 */
public final class InitialLoad {

    /** No flush for this long: the load is not moving now (done reading, paused or stuck), its pace is 0. */
    static final double STALLED_SECONDS = 2.0 * IterationLedger.PACE_WINDOW_SECONDS;
    private static final int PACE_VERSION = 8;

    private InitialLoad() {
    }

    /**
     * A table in its initial load: {@code rowsApplied} upserted in iteration 0 so far; {@code paceRows} of
     * them already {@code paceSeconds} before the last flush (null: one reading only, or a sink before
     * migration 8); {@code secondsSinceFlush} by the database's clock (null: nothing applied yet).
     */
    public record Reading(String sourceTable, long rowsApplied, Long paceRows, Double paceSeconds,
                          Double secondsSinceFlush) {

        /** Rows per second over the pace window; 0 when the load stalled; null when unknown. */
        public Double rowsPerSecond() {
            if (secondsSinceFlush != null && secondsSinceFlush > STALLED_SECONDS) {
                return 0.0;
            }
            if (paceRows == null || paceSeconds == null || paceSeconds <= 0) {
                return null;
            }
            return Math.max(0, rowsApplied - paceRows) / paceSeconds;
        }
    }

    /** The tables of the project that have completed no iteration yet, by name. */
    public static List<Reading> read(Connection c, ControlSchema control, String project) throws SQLException {
        boolean paced = control.version(c) >= PACE_VERSION;
        String pace = paced ? "t.pace_upserted, extract(epoch FROM t.flushed_at - t.pace_at)::float8,"
                + " extract(epoch FROM clock_timestamp() - t.flushed_at)::float8" : "NULL::bigint, NULL::float8, NULL::float8";
        List<Reading> loads = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.source_table, coalesce(t.upserted, 0), " + pace
                + " FROM " + control.table("table_state") + " s LEFT JOIN " + control.table("iteration_table") + " t"
                + " ON t.project = s.project AND t.source_table = s.source_table AND t.iteration = 0"
                + " WHERE s.project = ? AND s.iteration IS NULL AND t.completed_at IS NULL ORDER BY s.source_table")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    loads.add(new Reading(rs.getString(1), rs.getLong(2), rs.getObject(3, Long.class),
                            rs.getObject(4, Double.class), rs.getObject(5, Double.class)));
                }
            }
        }
        return loads;
    }

    /**
     * What is shown of a load (a table's, or the sum of several).
     *
     * @param rowsExpected  the source's estimate (null: unknown, e.g. a table never analyzed)
     * @param progress      applied of expected, 0..1 (never more: the estimate may be stale); null when unknown
     * @param pastEstimate  more rows applied than the estimate: the progress says "≥ estimate"
     * @param rowsPerSecond over the recent window; 0 when stalled; null when unknown
     * @param etaSeconds    the rows still expected at that pace; null when the pace is 0 or unknown, or past the estimate
     */
    public record Figures(long rowsApplied, Long rowsExpected, Double progress, boolean pastEstimate,
                          Double rowsPerSecond, Long etaSeconds) {

        public static Figures of(Reading r, Long rowsExpected) {
            Long remaining = rowsExpected == null ? null : Math.max(0, rowsExpected - r.rowsApplied());
            return figures(r.rowsApplied(), rowsExpected, remaining, r.rowsPerSecond());
        }

        /** Several tables' figures summed; the rows still expected are each table's (one past its estimate adds 0). */
        public static Figures sum(Collection<Figures> tables) {
            long applied = 0;
            Long expected = 0L;
            Long remaining = 0L;
            Double rate = null;
            for (Figures f : tables) {
                applied += f.rowsApplied();
                expected = expected == null || f.rowsExpected() == null ? null : expected + f.rowsExpected();
                remaining = remaining == null || f.rowsExpected() == null ? null
                        : remaining + Math.max(0, f.rowsExpected() - f.rowsApplied());
                if (f.rowsPerSecond() != null) {
                    rate = (rate == null ? 0 : rate) + f.rowsPerSecond();
                }
            }
            return figures(applied, expected, remaining, rate);
        }

        private static Figures figures(long applied, Long expected, Long remaining, Double rate) {
            if (expected == null || expected <= 0) {
                return new Figures(applied, expected, null, expected != null && applied > 0, rate, null);
            }
            Long eta = remaining > 0 && rate != null && rate > 0 ? (long) Math.ceil(remaining / rate) : null;
            return new Figures(applied, expected, Math.min(1.0, (double) (expected - remaining) / expected),
                    remaining == 0, rate, eta);
        }

        /** E.g. {@code 412,000 of ~1,000,000 rows (41 %, estimate)  38,200 rows/s  ETA 15 s}. */
        public String describe() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,d", rowsApplied));
            if (rowsExpected == null) {
                b.append(" rows of unknown (no estimate)");
            } else {
                b.append(String.format(Locale.ROOT, " of ~%,d rows (", rowsExpected)).append(pastEstimate
                        ? "≥ estimate, 100 %)" : String.format(Locale.ROOT, "%d %%, estimate)",
                        progress == null ? 0 : (long) Math.floor(progress * 100)));
            }
            b.append("  ").append(rowsPerSecond == null ? "- rows/s"
                    : String.format(Locale.ROOT, "%,.0f rows/s", rowsPerSecond));
            return b.append("  ETA ").append(etaSeconds == null ? "-" : duration(etaSeconds)).toString();
        }

        static String duration(long seconds) {
            if (seconds < 120) {
                return seconds + " s";
            }
            if (seconds < 7200) {
                return seconds / 60 + " min " + seconds % 60 + " s";
            }
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
    }
}
