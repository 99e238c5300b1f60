package io.tidemark.control.verify;

import java.sql.SQLException;

/** Oracle's answers when marker N is older than the undo it keeps, in words that name the fix. */
final class Flashback {

    private Flashback() {
    }

    static SQLException explain(SQLException e) {
        int code = e.getErrorCode();
        if (code == 1555 || code == 8180 || code == 8181) {
            return new SQLException("the source cannot be read as of the iteration's marker any more (ORA-"
                    + String.format("%05d", code) + "): its undo no longer reaches back that far. Raise undo_retention "
                    + "(and give the undo tablespace room, or RETENTION GUARANTEE), or verify a newer iteration "
                    + "(--iteration): " + e.getMessage(), e.getSQLState(), code, e);
        }
        return e;
    }
}
