package io.tidemark.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks a target table against the state the workload leads to, row by row, on a canonical text
 * of each row (numbers by value, timestamps in UTC with microseconds, bytes in hex): the sinks
 * choose different column types for the same Oracle column, the values must still be equal. Two
 * targets that both match the expected state are identical to each other; the digest over all
 * rows printed for each makes that visible.
 */
final class Verifier {

    /** The outcome: null problem means the table holds exactly the expected rows. */
    record Result(String problem, String digest, long rows) {
        boolean ok() {
            return problem == null;
        }
    }

    private final BenchTable table;
    private final Workload workload;

    Verifier(BenchTable table, Workload workload) {
        this.table = table;
        this.workload = workload;
    }

    Result verify(Connection c, String qualifiedTable) throws SQLException {
        c.setAutoCommit(false);
        MessageDigest all = md5();
        long rows = 0;
        try (Statement st = c.createStatement()) {
            st.setFetchSize(5_000);
            try (ResultSet rs = st.executeQuery("SELECT id, md5(" + table.canonicalSql() + ") FROM " + qualifiedTable
                    + " ORDER BY id")) {
                Iterator<Map.Entry<Long, Integer>> expected = workload.expected.entrySet().iterator();
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String actual = rs.getString(2);
                    rows++;
                    if (!expected.hasNext()) {
                        return new Result("unexpected row id=" + id, null, rows);
                    }
                    Map.Entry<Long, Integer> e = expected.next();
                    if (e.getKey() != id) {
                        return new Result("row id=" + id + " where id=" + e.getKey() + " was expected", null, rows);
                    }
                    String canonical = table.canonical(table.row(id, e.getValue()));
                    String want = hex(md5().digest(canonical.getBytes(StandardCharsets.UTF_8)));
                    if (!want.equals(actual)) {
                        String got = rowText(c, qualifiedTable, id);
                        return new Result("row id=" + id + " differs:\n  expected " + canonical + "\n  actual   " + got,
                                null, rows);
                    }
                    all.update(want.getBytes(StandardCharsets.US_ASCII));
                }
                if (expected.hasNext()) {
                    return new Result("missing row id=" + expected.next().getKey() + " (" + rows + " of "
                            + workload.expectedRows() + " rows present)", null, rows);
                }
            }
        } finally {
            c.commit();
        }
        return new Result(null, hex(all.digest()), rows);
    }

    private String rowText(Connection c, String qualifiedTable, long id) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + table.canonicalSql() + " FROM " + qualifiedTable + " WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : "(none)";
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
