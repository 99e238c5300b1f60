package io.tidemark.sink.errors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.tidemark.sink.naming.TargetTable;

/**
 * Who holds a lock on a table, in words an operator can act on: after a lock wait timed out, the
 * sink says which sessions it waited for (often one left "idle in transaction") and how to end them.
 */
public final class LockHolders {

    private static final String SQL = "SELECT a.pid, coalesce(nullif(a.application_name, ''), '?'), a.usename,"
            + " a.state, to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), l.mode"
            + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.relation = to_regclass(?) AND l.granted AND l.pid <> pg_backend_pid()"
            + " ORDER BY a.xact_start NULLS LAST LIMIT 5";

    private LockHolders() {
    }

    /** The sessions holding locks on the table, or null when there are none (any more). */
    public static String describe(Connection connection, TargetTable table) throws SQLException {
        List<String> holders = new ArrayList<>();
        List<Integer> pids = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SQL)) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                    holders.add("pid " + rs.getInt(1) + " (application '" + rs.getString(2) + "', user "
                            + rs.getString(3) + ", " + rs.getString(4) + (rs.getString(5) == null ? ""
                            : ", transaction open since " + rs.getString(5) + " UTC") + ", " + rs.getString(6) + ")");
                }
            }
        }
        if (holders.isEmpty()) {
            return null;
        }
        return "locks on " + table + " are held by " + String.join(", ", holders) + "; to end such a session: "
                + "SELECT pg_terminate_backend(" + pids.get(0) + ")";
    }
}
