package io.tidemark.sink.flush;

/** Running totals of a writer's flushes, for logs, metrics and tests. */
public final class FlushStats {

    private long flushes;
    private long records;
    private long upserted;
    private long deleted;
    private long bytes;
    private long skipped;
    private long flagged;

    public synchronized void add(FlushOutcome outcome) {
        flushes++;
        records += outcome.records;
        upserted += outcome.upserted;
        deleted += outcome.deleted;
        bytes += outcome.bytes;
        skipped += outcome.skipped;
        flagged += outcome.flagged;
    }

    public synchronized long flushes() {
        return flushes;
    }

    public synchronized long records() {
        return records;
    }

    public synchronized long upserted() {
        return upserted;
    }

    public synchronized long deleted() {
        return deleted;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized long skipped() {
        return skipped;
    }

    public synchronized long flagged() {
        return flagged;
    }

    @Override
    public synchronized String toString() {
        return "flushes=" + flushes + " records=" + records + " upserted=" + upserted + " deleted=" + deleted
                + " bytes=" + bytes + " skipped=" + skipped + " flagged=" + flagged;
    }
}
