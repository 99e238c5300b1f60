package io.tidemark.control.actions;

/**
 * What start does for a project whose source says {@code iteration.initial.load=bulk}, from what
 * the source, the record and Connect hold before it touches anything: a pure function, so that
 * every case is a unit test (docs/bulk-load.md).
 */
enum BulkLoadDecision {

    /** The load is behind the project (or was never its way): an ordinary start. */
    ORDINARY,
    /** No marker 0 and nothing that stands in the way: the source, the load, marker 0, then the sink. */
    LOAD,
    /** A completed load asked for marker 0 and the source has not written it yet: wait for it, load nothing. */
    AWAIT_MARKER_ZERO,
    /** A marker request is pending with no completed load: the source would write marker 0 before the load. */
    REFUSE_PENDING_REQUEST,
    /** Marker 0 exists but no load completed and no sink ever ran: iteration 0 closed without the rows. */
    REFUSE_MARKER_WITHOUT_LOAD,
    /** The sink runs before marker 0: it would apply changes under the loaded rows. */
    REFUSE_SINK_RUNNING;

    /**
     * @param markerZero     the source has written a marker for the stream
     * @param loadCompleted  the record holds a load of every table that completed
     * @param requestPending the source's request table holds a request of the stream not handled yet
     * @param sinkExists     the sink connector exists in Connect
     * @param sinkAtRest     it is STOPPED or PAUSED (applies nothing)
     */
    static BulkLoadDecision of(boolean markerZero, boolean loadCompleted, boolean requestPending, boolean sinkExists,
                               boolean sinkAtRest) {
        if (markerZero) {
            return loadCompleted || sinkExists ? ORDINARY : REFUSE_MARKER_WITHOUT_LOAD;
        }
        if (requestPending) {
            return loadCompleted ? AWAIT_MARKER_ZERO : REFUSE_PENDING_REQUEST;
        }
        return sinkExists && !sinkAtRest ? REFUSE_SINK_RUNNING : LOAD;
    }
}
