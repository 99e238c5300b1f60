package io.tidemark.control.verify;

import java.sql.SQLException;
import java.util.List;

/** A table's and a run's verdicts from their differences, and the lines that say them. */
final class Verdicts {

    private Verdicts() {
    }

    /** The confirm pass's verdict on each difference; a table whose every difference was in flight is IN_FLIGHT. */
    static TableResult judged(TableResult r, ConfirmPass confirm) {
        try {
            List<Difference> judged = confirm.judge(planOf(r), r.differences());
            long inFlight = judged.stream().filter(d -> "IN_FLIGHT".equals(d.verdict())).count();
            long outOfSync = judged.size() - inFlight + Math.max(0, r.differenceCount() - r.differences().size());
            String status = outOfSync > 0 ? "DIFFERENT" : "IN_FLIGHT";
            return r.judged(status, outOfSync, inFlight, judged, r.note());
        } catch (SQLException e) {
            return r.judged(r.status(), r.differenceCount(), 0, r.differences(), "the confirm pass failed: " + e.getMessage());
        }
    }

    // The confirm pass needs the table's plan again: kept beside the result while the run lasts.
    private static final java.util.Map<TableResult, TablePlan> PLANS = new java.util.concurrent.ConcurrentHashMap<>();

    static TableResult withPlan(TableResult r, TablePlan plan) {
        PLANS.put(r, plan);
        return r;
    }

    private static TablePlan planOf(TableResult r) {
        return PLANS.remove(r);
    }

    static String overall(List<TableResult> tables) {
        if (tables.stream().anyMatch(t -> "FAILED".equals(t.status()))) {
            return "FAILED";
        }
        if (tables.stream().anyMatch(t -> "DIFFERENT".equals(t.status()))) {
            return "DIFFERENT";
        }
        return tables.stream().anyMatch(t -> "IN_FLIGHT".equals(t.status())) ? "IN_FLIGHT" : "IN_SYNC";
    }

    static String summary(List<TableResult> tables, Long n) {
        long inSync = tables.stream().filter(t -> "IN_SYNC".equals(t.status())).count();
        long differences = tables.stream().mapToLong(TableResult::differenceCount).sum();
        long inFlight = tables.stream().mapToLong(TableResult::inFlight).sum();
        return String.format("%d of %d tables in sync at iteration %s; %d differences out of sync, %d in flight", inSync,
                tables.size(), n == null ? "none" : n.toString(), differences, inFlight);
    }

    static String line(TableResult r) {
        if (r.changedSince() != null) {
            String s = String.format("%-10s %s: %,d keys changed since iteration %d compared (%,d source rows, %,d target"
                    + " rows), %,d ms", r.status(), r.table(), r.keysCompared(), r.changedSince(), r.sourceRows(),
                    r.targetRows(), r.durationMs());
            if (r.differenceCount() > 0 || r.inFlight() > 0) {
                s += String.format("; %d out of sync, %d in flight", r.differenceCount(), r.inFlight());
            }
            return r.note() == null ? s : s + " (" + r.note() + ")";
        }
        String s = String.format("%-10s %s: %,d source rows, %,d target rows, %d ranges (%d differing), checksum %s,"
                        + " %,d rows/s", r.status(), r.table(), r.sourceRows(), r.targetRows(), r.ranges(),
                r.rangesDiffering(), r.checksum(), r.rowsPerSecond());
        if (r.differenceCount() > 0 || r.inFlight() > 0) {
            s += String.format("; %d out of sync, %d in flight", r.differenceCount(), r.inFlight());
        }
        return r.note() == null ? s : s + " (" + r.note() + ")";
    }
}
