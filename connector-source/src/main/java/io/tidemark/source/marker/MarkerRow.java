package io.tidemark.source.marker;

/**
 * A row of the marker table: an iteration boundary as the writer wrote it.
 *
 * @param iteration   from the sequence; marker N closes iteration N
 * @param streamName  the connector's topic.prefix: connectors sharing the table skip each other's rows
 * @param isFinal     the last iteration of a soft stop
 * @param reason      why it was written
 * @param createdTsMs when, epoch milliseconds
 */
public record MarkerRow(long iteration, String streamName, boolean isFinal, Reason reason, long createdTsMs) {

    /** Why a marker row was written. */
    public enum Reason {
        /** The first marker once streaming runs: it closes iteration 0, the initial snapshot. */
        SNAPSHOT,
        /** iteration.interval.ms elapsed. */
        INTERVAL,
        /** A row in the request table asked for it. */
        REQUEST
    }
}
