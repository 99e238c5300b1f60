package io.tidemark.control.cutover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The value a PostgreSQL sequence hands out next, read from the sequence itself: {@code pg_sequences}
 * shows no last value after {@code setval(…, false)}, which is how the cutover sets them.
 */
final class SequenceState {

    private SequenceState() {
    }

    /** @param quoted the sequence's name as SQL takes it ({@code "schema"."name"}) */
    static long next(Connection c, String quoted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE WHEN s.is_called THEN s.last_value + p.seqincrement"
                + " ELSE s.last_value END FROM " + quoted + " s, pg_sequence p WHERE p.seqrelid = ?::regclass")) {
            ps.setString(1, quoted);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
