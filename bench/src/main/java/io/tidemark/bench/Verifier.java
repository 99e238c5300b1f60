package io.tidemark.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

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
    /** The md5 of each expected row's canonical text, in id order: computed once per workload, on every core. */
    private final long[] ids;
    private final String[] digests;

    Verifier(BenchTable table, Workload workload) {
        this.table = table;
        this.workload = workload;
        ids = workload.expected.keySet().stream().mapToLong(Long::longValue).toArray();
        int[] versions = workload.expected.values().stream().mapToInt(Integer::intValue).toArray();
        digests = new String[ids.length];
        java.util.stream.IntStream.range(0, ids.length).parallel().forEach(i -> digests[i] =
                hex(md5().digest(table.canonical(table.row(ids[i], versions[i])).getBytes(StandardCharsets.UTF_8))));
    }

    Result verify(Connection c, String qualifiedTable) throws SQLException {
        c.setAutoCommit(false);
        MessageDigest all = md5();
        long rows = 0;
        try (Statement st = c.createStatement()) {
            st.setFetchSize(5_000);
            try (ResultSet rs = st.executeQuery("SELECT id, md5(" + table.canonicalSql() + ") FROM " + qualifiedTable
                    + " ORDER BY id")) {
                int i = 0;
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String actual = rs.getString(2);
                    rows++;
                    if (i == ids.length) {
                        return new Result("unexpected row id=" + id, null, rows);
                    }
                    if (ids[i] != id) {
                        return new Result("row id=" + id + " where id=" + ids[i] + " was expected", null, rows);
                    }
                    String want = digests[i];
                    if (!want.equals(actual)) {
                        String canonical = table.canonical(table.row(id, workload.expected.get(id)));
                        String got = rowText(c, qualifiedTable, id);
                        return new Result("row id=" + id + " differs:\n  expected " + canonical + "\n  actual   " + got,
                                null, rows);
                    }
                    all.update(want.getBytes(StandardCharsets.US_ASCII));
                    i++;
                }
                if (i < ids.length) {
                    return new Result("missing row id=" + ids[i] + " (" + rows + " of " + ids.length
                            + " rows present)", null, rows);
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
