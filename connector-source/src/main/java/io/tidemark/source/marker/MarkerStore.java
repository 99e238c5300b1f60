package io.tidemark.source.marker;

import java.sql.SQLException;
import java.util.Optional;

import io.tidemark.source.marker.MarkerRow.Reason;

/** The marker and request tables as the writer sees them. */
public interface MarkerStore extends AutoCloseable {

    /** The stream's newest marker row, or empty before its first. */
    Optional<MarkerRow> lastMarker(String streamName) throws SQLException;

    /** True when the request table holds an unhandled request for the stream. */
    boolean hasPendingRequest(String streamName) throws SQLException;

    /**
     * In one transaction: takes the pending requests, and when there are any or {@code due} is set,
     * inserts a marker row with the next id and marks the requests handled by it. A pending FINAL
     * request makes the marker final.
     *
     * @param due the reason to write a marker without a request, or null to write only for a request
     * @return the row written, or empty when nothing was due
     */
    Optional<MarkerRow> writeMarker(String streamName, Reason due, long nowMs) throws SQLException;

    @Override
    void close();
}
