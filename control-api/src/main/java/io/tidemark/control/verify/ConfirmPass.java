package io.tidemark.control.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.tidemark.control.project.DatabaseSettings;

/**
 * For what was not read at one instant on both sides (a PARTIAL table, or a source that cannot read
 * the past): once the pipeline's lag has passed (an iteration whose marker the source wrote after
 * the first pass began is applied), each differing key is read again on both sides. A difference
 * that is gone, or whose source row changed meanwhile, was in flight; one that stands as it was is
 * out of sync.
 */
final class ConfirmPass {

    private final DatabaseSettings target;
    private final DatabaseSettings source;
    private final String ledger;
    private final String project;

    ConfirmPass(DatabaseSettings target, DatabaseSettings source, String ledgerTable, String project) {
        this.target = target;
        this.source = source;
        this.ledger = ledgerTable;
        this.project = project;
    }

    /** Waits until an iteration whose marker came after {@code firstPass} is applied; false when the wait ended. */
    boolean awaitLag(Instant firstPass, Duration wait) throws SQLException {
        long deadline = System.nanoTime() + wait.toNanos();
        try (Connection c = target.connect();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + ledger + " WHERE project = ? AND status = 'APPLIED'"
                     + " AND marker_created_at > ? LIMIT 1")) {
            ps.setString(1, project);
            ps.setTimestamp(2, Timestamp.from(firstPass));
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return true;
                    }
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    List<Difference> judge(TablePlan plan, List<Difference> first) throws SQLException {
        SideSql sourceSql = source.isOracle() ? SideSql.ORACLE : SideSql.POSTGRES;
        Map<String, String[]> s;
        Map<String, String[]> t;
        try (Connection sc = Sessions.open(source); Connection tc = Sessions.open(target)) {
            List<List<String>> keys = first.stream().map(Difference::key).toList();
            s = byKeys(sc, sourceSql, plan, false, null, keys, byCanonical(plan, sourceSql, false));
            t = byKeys(tc, SideSql.POSTGRES, plan, true, null, keys, byCanonical(plan, SideSql.POSTGRES, true));
        }
        List<Difference> judged = new ArrayList<>();
        for (Difference d : first) {
            String k = String.join("\u001f", d.key());
            Difference now = Difference.between(plan.columnNames(), plan.keyCount(), s.get(k), t.get(k));
            boolean same = now != null && now.kind().equals(d.kind()) && now.columns().equals(d.columns())
                    && Objects.equals(now.sourceValues(), d.sourceValues()) && Objects.equals(now.targetValues(), d.targetValues());
            judged.add(d.withVerdict(same ? "OUT_OF_SYNC" : "IN_FLIGHT"));
        }
        return judged;
    }

    /** A difference's key is its canonical text: matched against the key columns' canonical forms. */
    private static List<String> byCanonical(TablePlan plan, SideSql sql, boolean target) {
        return plan.canonicals(sql, target).subList(0, plan.keyCount()).stream().map(k -> k + " = ?").toList();
    }

    /**
     * The rows of the given keys (each key's values as text, bound to {@code keyMatch}'s predicates), by their keys'
     * canonical text, in batches of 200 keys; {@code scn} reads an Oracle source as of a marker.
     */
    static Map<String, String[]> byKeys(Connection c, SideSql sql, TablePlan plan, boolean target, Long scn,
                                        List<List<String>> keys, List<String> keyMatch) throws SQLException {
        Map<String, String[]> out = new HashMap<>();
        List<String> canonicals = plan.canonicals(sql, target);
        String table = target ? plan.targetSql() : plan.sourceSql();
        for (int from = 0; from < keys.size(); from += 200) {
            List<List<String>> batch = keys.subList(from, Math.min(keys.size(), from + 200));
            try (PreparedStatement ps = c.prepareStatement(sql.rowsByKeys(table, scn, canonicals, keyMatch, batch.size()))) {
                int n = 1;
                for (List<String> key : batch) {
                    for (String v : key) {
                        ps.setString(n++, v);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String[] row = new String[canonicals.size()];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = rs.getString(i + 1);
                        }
                        out.put(String.join("\u001f", java.util.Arrays.asList(row).subList(0, plan.keyCount())), row);
                    }
                }
            }
        }
        return out;
    }
}
