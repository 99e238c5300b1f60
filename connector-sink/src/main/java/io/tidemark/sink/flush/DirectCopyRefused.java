package io.tidemark.sink.flush;

import java.sql.SQLException;

/**
 * A direct {@code COPY} into the target, tried without a savepoint, was refused (its keys exist: a
 * replay, a re-snapshot; or a value does not fit): the flush's transaction failed and the flush is
 * applied again under savepoints. The table is not suspect for it: the direct path keeps its own
 * count of refusals. Keeps the cause's SQLSTATE.
 */
final class DirectCopyRefused extends SQLException {

    DirectCopyRefused(SQLException cause) {
        super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
    }
}
