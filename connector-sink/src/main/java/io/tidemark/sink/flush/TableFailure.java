package io.tidemark.sink.flush;

/**
 * Thrown while a table is applied to abandon that table (rolled back to its savepoint) and stop it;
 * carries the reason its status will show. The other tables of the flush go on.
 */
final class TableFailure extends Exception {
    TableFailure(String reason) {
        super(reason, null, false, false);
    }
}
