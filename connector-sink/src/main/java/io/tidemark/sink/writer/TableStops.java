package io.tidemark.sink.writer;

import java.util.HashMap;
import java.util.Map;

import io.tidemark.sink.naming.SourceTable;

/**
 * The tables this task stopped because of an error (ERROR_ABORTED), with the reason. A stopped
 * table's partitions are paused and rewound to the first record not applied; its records wait in
 * Kafka until the table is started again (or the task restarted).
 */
final class TableStops {

    private final Map<SourceTable, String> reasons = new HashMap<>();

    /** @return true when the table was not stopped before */
    boolean stop(SourceTable table, String reason) {
        return reasons.putIfAbsent(table, reason) == null;
    }

    boolean isStopped(SourceTable table) {
        return reasons.containsKey(table);
    }

    String reason(SourceTable table) {
        return reasons.get(table);
    }

    /** The table is started again: its records are applied again from where the database is. */
    void clear(SourceTable table) {
        reasons.remove(table);
    }

    java.util.Set<SourceTable> stopped() {
        return java.util.Set.copyOf(reasons.keySet());
    }
}
