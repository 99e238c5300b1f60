package io.tidemark.control.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pushed-down comparison of one table: both databases compute a count and the sum of row hashes
 * per key range (ranges of about {@code rangeRows} target rows, in parallel on the snapshot's
 * connection pairs); a range that differs is split at its middle key, and one of at most
 * {@code rowThreshold} rows is compared row by row, recording each differing key and column (up to
 * {@code cap}). A table without a key is one whole-table count and checksum.
 */
final class RangeComparison {

    /** A half-open key range; a null bound is open. */
    record Range(Object[] lower, Object[] upper) {
    }

    record Summary(long count, BigDecimal sum) {
    }

    /** What the comparison found; the caller adds iteration, timing and the confirm pass. */
    record Outcome(long sourceRows, long targetRows, int ranges, int rangesDiffering, BigDecimal sourceSum,
                   BigDecimal targetSum, List<Difference> differences, long differenceCount) {
    }

    private final TablePlan plan;
    private final SnapshotPairs pairs;
    private final SideSql sourceSql;
    private final int rangeRows;
    private final int rowThreshold;
    private final int cap;
    private final VerifyProgress progress;
    private final ConcurrentLinkedQueue<Difference> found = new ConcurrentLinkedQueue<>();
    private final AtomicLong differenceCount = new AtomicLong();
    private final AtomicInteger differing = new AtomicInteger();

    RangeComparison(TablePlan plan, SnapshotPairs pairs, int rangeRows, int rowThreshold, int cap, VerifyProgress progress) {
        this.plan = plan;
        this.pairs = pairs;
        this.sourceSql = pairs.sourceSql();
        this.rangeRows = rangeRows;
        this.rowThreshold = rowThreshold;
        this.cap = cap;
        this.progress = progress;
    }

    Outcome run() throws SQLException {
        List<Range> ranges = plan.keyed() ? ranges() : List.of(new Range(null, null));
        List<CompletableFuture<Summary[]>> tops = new ArrayList<>();
        for (Range r : ranges) {
            tops.add(pairs.submit((t, s) -> compare(t, s, r)));
        }
        long sourceRows = 0;
        long targetRows = 0;
        BigDecimal sourceSum = BigDecimal.ZERO;
        BigDecimal targetSum = BigDecimal.ZERO;
        for (CompletableFuture<Summary[]> f : tops) {
            Summary[] both = SnapshotPairs.join(f);
            sourceRows += both[0].count();
            targetRows += both[1].count();
            sourceSum = sourceSum.add(both[0].sum());
            targetSum = targetSum.add(both[1].sum());
        }
        List<Difference> diffs = new ArrayList<>(found);
        return new Outcome(sourceRows, targetRows, ranges.size(), differing.get(), sourceSum, targetSum,
                diffs.subList(0, Math.min(cap, diffs.size())), differenceCount.get());
    }

    /** The 64-bit checksum shown for a sum of row hashes. */
    static String checksum(BigDecimal sum) {
        return String.format("%016x", sum.toBigInteger().mod(BigInteger.ONE.shiftLeft(64)));
    }

    private List<Range> ranges() throws SQLException {
        List<Object[]> bounds = pairs.call((t, s) -> {
            List<Object[]> b = boundaries(t, SideSql.POSTGRES, plan.targetSql(), null, true);
            return b.isEmpty() ? boundaries(s, sourceSql, plan.sourceSql(), pairs.scn(), false) : b;
        });
        List<Range> ranges = new ArrayList<>();
        Object[] lower = null;
        for (Object[] b : bounds) {
            ranges.add(new Range(lower, b));
            lower = b;
        }
        ranges.add(new Range(lower, null));
        return ranges;
    }

    private List<Object[]> boundaries(Connection c, SideSql sql, String table, Long scn, boolean target)
            throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.boundaries(table, scn, plan.keys(sql, target),
                plan.orderedKeys(sql, target), rangeRows)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(key(rs));
            }
        }
        return out;
    }

    /** Compares a range on both sides; bisects or compares rows when it differs. Returns both summaries. */
    private Summary[] compare(Connection t, Connection s, Range r) throws SQLException {
        Summary source = summary(s, sourceSql, plan.sourceSql(), pairs.scn(), false, r);
        Summary target = summary(t, SideSql.POSTGRES, plan.targetSql(), null, true, r);
        progress.rows(Math.max(source.count(), target.count()));
        if (source.count() != target.count() || source.sum().compareTo(target.sum()) != 0) {
            differing.incrementAndGet();
            resolve(t, s, r, source, target);
        }
        return new Summary[] {source, target};
    }

    private void resolve(Connection t, Connection s, Range r, Summary source, Summary target) throws SQLException {
        long size = Math.max(source.count(), target.count());
        if (!plan.keyed()) {
            differenceCount.addAndGet(Math.abs(source.count() - target.count()) + (source.count() == target.count() ? 1 : 0));
            return;
        }
        if (size > rowThreshold) {
            boolean fromTarget = target.count() >= source.count();
            Object[] middle = middle(fromTarget ? t : s, fromTarget ? SideSql.POSTGRES : sourceSql,
                    fromTarget ? plan.targetSql() : plan.sourceSql(), fromTarget ? null : pairs.scn(), fromTarget, r,
                    (int) ((fromTarget ? target : source).count() / 2));
            if (middle != null && (r.lower() == null || !java.util.Arrays.equals(middle, r.lower()))) {
                for (Range half : List.of(new Range(r.lower(), middle), new Range(middle, r.upper()))) {
                    Summary hs = summary(s, sourceSql, plan.sourceSql(), pairs.scn(), false, half);
                    Summary ht = summary(t, SideSql.POSTGRES, plan.targetSql(), null, true, half);
                    if (hs.count() != ht.count() || hs.sum().compareTo(ht.sum()) != 0) {
                        resolve(t, s, half, hs, ht);
                    }
                }
                return;
            }
        }
        compareRows(t, s, r);
    }

    private void compareRows(Connection t, Connection s, Range r) throws SQLException {
        Map<String, String[]> source = rows(s, sourceSql, plan.sourceSql(), pairs.scn(), false, r);
        Map<String, String[]> target = rows(t, SideSql.POSTGRES, plan.targetSql(), null, true, r);
        for (Difference d : differences(plan, source, target)) {
            differenceCount.incrementAndGet();
            if (found.size() < cap) {
                found.add(d);
            }
        }
    }

    /** The differing rows of two sides' rows by their keys' canonical text (both maps are the caller's to lose). */
    static List<Difference> differences(TablePlan plan, Map<String, String[]> source, Map<String, String[]> target) {
        List<Difference> out = new ArrayList<>();
        Map<String, String[]> rest = new LinkedHashMap<>(target);
        for (Map.Entry<String, String[]> e : source.entrySet()) {
            Difference d = Difference.between(plan.columnNames(), plan.keyCount(), e.getValue(), rest.remove(e.getKey()));
            if (d != null) {
                out.add(d);
            }
        }
        for (String[] extra : rest.values()) {
            out.add(Difference.between(plan.columnNames(), plan.keyCount(), null, extra));
        }
        return out;
    }

    private Summary summary(Connection c, SideSql sql, String table, Long scn, boolean target, Range r)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.summary(table, scn, plan.canonicals(sql, target),
                plan.orderedKeys(sql, target), r.lower() != null, r.upper() != null))) {
            bind(ps, sql, r);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Summary(rs.getLong(1), rs.getBigDecimal(2));
            }
        }
    }

    private Object[] middle(Connection c, SideSql sql, String table, Long scn, boolean target, Range r, int offset)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.middle(table, scn, plan.keys(sql, target),
                plan.orderedKeys(sql, target), r.lower() != null, r.upper() != null, offset))) {
            bind(ps, sql, r);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? key(rs) : null;
            }
        }
    }

    /** Rows by their key's canonical text. */
    private Map<String, String[]> rows(Connection c, SideSql sql, String table, Long scn, boolean target, Range r)
            throws SQLException {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql.rows(table, scn, plan.canonicals(sql, target),
                plan.orderedKeys(sql, target), r.lower() != null, r.upper() != null))) {
            bind(ps, sql, r);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] row = new String[plan.columns().size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    out.put(String.join("\u001f", java.util.Arrays.asList(row).subList(0, plan.keyCount())), row);
                }
            }
        }
        return out;
    }

    private void bind(PreparedStatement ps, SideSql sql, Range r) throws SQLException {
        int n = 1;
        for (Object[] bound : new Object[][] {r.lower(), r.upper()}) {
            if (bound != null) {
                for (int i : sql.parameterOrder(bound.length)) {
                    ps.setObject(n++, bound[i]);
                }
            }
        }
    }

    private Object[] key(ResultSet rs) throws SQLException {
        Object[] k = new Object[plan.keyCount()];
        for (int i = 0; i < k.length; i++) {
            k[i] = rs.getObject(i + 1);
        }
        return k;
    }
}
