package io.tidemark.control.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.api.Json;

/**
 * The verifications running in this API, one per project at a time (a second is refused while one
 * runs), so that a cancel can reach them; and the last run as the control schema holds it.
 */
public final class Verifications {

    private static final Map<String, AtomicBoolean> RUNNING = new ConcurrentHashMap<>();

    private Verifications() {
    }

    /** Registers a run; null when one already runs for the project. */
    public static AtomicBoolean begin(String project) {
        AtomicBoolean flag = new AtomicBoolean();
        return RUNNING.putIfAbsent(project, flag) == null ? flag : null;
    }

    public static void end(String project) {
        RUNNING.remove(project);
    }

    /** Asks the project's running verification to stop after its current table; false when none runs. */
    public static boolean cancel(String project) {
        AtomicBoolean flag = RUNNING.get(project);
        if (flag == null) {
            return false;
        }
        flag.set(true);
        return true;
    }

    /** The project's last run with its tables, their differences and the marks; an empty map when none ran. */
    public static Map<String, Object> last(Connection c, VerifyStore store) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        var run = store.lastRun(c);
        if (run.isEmpty()) {
            return out;
        }
        store.ensure(c); // tables of an older control API gain the columns read below
        out.put("run", run.get().id());
        out.put("status", run.get().status());
        out.put("iteration", run.get().iteration());
        out.put("startedAt", run.get().startedAt());
        out.put("finishedAt", run.get().finishedAt());
        out.put("message", run.get().message());
        List<Map<String, Object>> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_table, target_table, mode, status, iteration, pinned,"
                + " source_rows, target_rows, ranges, ranges_differing, checksum, differences, in_flight, duration_ms,"
                + " rows_per_second, note, changed_since, keys_compared FROM " + store.table("verify_table") + " WHERE run_id = ? ORDER BY source_table")) {
            ps.setLong(1, run.get().id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> t = new LinkedHashMap<>();
                    String[] names = {"table", "targetTable", "mode", "status", "iteration", "pinned", "sourceRows",
                        "targetRows", "ranges", "rangesDiffering", "checksum", "differences", "inFlight", "durationMs",
                        "rowsPerSecond", "note", "changedSince", "keysCompared"};
                    for (int i = 0; i < names.length; i++) {
                        t.put(names[i], rs.getObject(i + 1));
                    }
                    t.put("differing", differences(c, store, run.get().id(), rs.getString(1)));
                    tables.add(t);
                }
            }
        }
        out.put("tables", tables);
        out.put("marks", store.marks(c));
        return out;
    }

    private static List<Map<String, Object>> differences(Connection c, VerifyStore store, long run, String table)
            throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key, kind, columns, source_values, target_values, verdict"
                + " FROM " + store.table("verify_difference") + " WHERE run_id = ? AND source_table = ? ORDER BY key")) {
            ps.setLong(1, run);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("key", json(rs.getString(1)));
                    d.put("kind", rs.getString(2));
                    d.put("columns", json(rs.getString(3)));
                    d.put("sourceValues", json(rs.getString(4)));
                    d.put("targetValues", json(rs.getString(5)));
                    d.put("verdict", rs.getString(6));
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            return Json.MAPPER.getNodeFactory().textNode(s);
        }
    }
}
