package io.tidemark.sink.batch;

/** Rows a statement or a segment upserted and deleted, as PostgreSQL counted them. */
public record ApplyCounts(long upserted, long deleted) {

    public static final ApplyCounts NONE = new ApplyCounts(0, 0);

    public ApplyCounts plus(ApplyCounts other) {
        return new ApplyCounts(upserted + other.upserted, deleted + other.deleted);
    }
}
