package io.tidemark.quickstart.progress;

/**
 * One iteration the sink completed, as its ledger records it ({@code <control>.iteration},
 * docs/control-schema.md): changes applied in it over all tables, and how long applying took.
 */
public record CompletedIteration(long iteration, long upserted, long deleted, long bytes, long applyMs, boolean last) {
}
