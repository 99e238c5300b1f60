package io.tidemark.control.load;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Waits for the load's workers and says, every few seconds, each unfinished table's rows, pace and
 * ETA (from the source's row estimate), and the total's.
 */
final class LoadProgress {

    private final Collection<BulkLoad.TableCopy> tables;
    private final Consumer<String> say;
    private final long start = System.nanoTime();

    LoadProgress(Collection<BulkLoad.TableCopy> tables, Consumer<String> say) {
        this.tables = tables;
        this.say = say;
    }

    /** Returns when every worker ended; throws the first failure. */
    void await(List<Future<?>> workers, long everyMs, Consumer<Map<BulkLoad.TableCopy, Long>> record) {
        for (Future<?> w : workers) {
            while (true) {
                try {
                    w.get(everyMs, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    record.accept(report());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof BulkLoadException b ? b
                            : new BulkLoadException("the bulk load failed: " + reason(cause), cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BulkLoadException("the bulk load was interrupted", e);
                }
            }
        }
    }

    private Map<BulkLoad.TableCopy, Long> report() {
        Map<BulkLoad.TableCopy, Long> rows = new LinkedHashMap<>();
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = 0;
        long estimated = 0;
        for (BulkLoad.TableCopy t : tables) {
            long n = t.progress.get();
            total += n;
            estimated += Math.max(n, t.table().table().estimatedRows());
            if (!t.done()) {
                rows.put(t, n);
                say.accept(line(t.table().table().source(), n, t.table().table().estimatedRows(), seconds));
            }
        }
        say.accept(line("all tables", total, estimated, seconds));
        return rows;
    }

    static String line(String what, long rows, long estimated, double seconds) {
        double pace = rows / Math.max(seconds, 1e-3);
        String eta = estimated > rows && pace > 0 ? String.format(Locale.ROOT, "ETA %.0f s", (estimated - rows) / pace)
                : "ETA unknown";
        return String.format(Locale.ROOT, "%s: %d of ~%s rows, %.0f rows/s, %s", what, rows,
                estimated < 0 ? "?" : Long.toString(estimated), pace, eta);
    }

    static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.strip();
    }
}
