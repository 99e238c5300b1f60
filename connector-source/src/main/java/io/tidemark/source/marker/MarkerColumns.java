package io.tidemark.source.marker;

/**
 * Column names of the marker and request tables, in lower case: each dialect folds them as its
 * database does, and the change events are read case-insensitively.
 */
public final class MarkerColumns {

    public static final String ITERATION = "iteration";
    public static final String STREAM_NAME = "stream_name";
    public static final String IS_FINAL = "is_final";
    public static final String REASON = "reason";
    public static final String CREATED_TS_MS = "created_ts_ms";

    public static final String REQUEST_ID = "request_id";
    public static final String ACTION = "action";
    public static final String REQUESTED_AT = "requested_at";
    public static final String HANDLED_AT = "handled_at";

    private MarkerColumns() {
    }
}
