package io.tidemark.control.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.tidemark.common.load.InitialLoadKeys;
import io.tidemark.control.project.DatabaseSettings;
import io.tidemark.sink.SinkPrecheck;
import io.tidemark.sink.control.ControlSchema;

/**
 * The bulk initial load (docs/bulk-load.md): the source's tables read in one snapshot, in parallel
 * chunks of pages, and copied into the target with {@code COPY}.
 *
 * <p>Exactness rests on the order around it, which the caller keeps ({@link ProjectLoad}): Debezium
 * streams from a position P before the load's snapshot S is taken, marker 0 is asked for after S,
 * and the sink starts after the load. Every change after P then reaches the target after the rows
 * of S; a change the snapshot holds already is applied again as the full row image it carries, so
 * each key ends at its last change before marker 0: the target equals the source at marker 0.
 */
public final class BulkLoad {

    /**
     * @param workers       chunks copied at once, each on its own source and target session
     * @param chunksPerWorker how many chunks a large table is cut into per worker, so that the workers finish together
     * @param progressMs    how often a progress line is said (and the record updated)
     */
    public record Settings(int workers, int chunksPerWorker, long progressMs) {
        public static Settings defaults() {
            return new Settings(InitialLoadKeys.WORKERS_DEFAULT, 4, 5_000);
        }
    }

    /** @param chunks how many parts it was read in, in parallel */
    public record TableResult(String source, String target, long rows, int chunks, double seconds) {
    }

    /** @param sourcePosition the source's WAL position when the snapshot was taken */
    public record Result(String sourcePosition, List<TableResult> tables, long rows, double seconds) {
    }

    private static final long MIN_CHUNK_PAGES = 256; // 2 MB: below that a chunk costs more in statements than it saves

    private final DatabaseSettings source;
    private final DatabaseSettings target;
    private final SinkPrecheck names;
    private final TargetTables targets;
    private final String controlSchema;
    private final Settings settings;
    private final Consumer<String> say;

    public BulkLoad(DatabaseSettings source, DatabaseSettings target, SinkPrecheck names, String project,
                    Settings settings, Consumer<String> say) {
        if (source.isOracle()) {
            throw new BulkLoadException("the bulk load reads PostgreSQL sources; for Oracle use Debezium's snapshot "
                    + "(iteration.initial.load=snapshot, docs/bulk-load.md says why)");
        }
        this.source = source;
        this.target = target;
        this.names = names;
        this.controlSchema = names.controlSchema();
        this.targets = new TargetTables(controlSchema, project);
        this.settings = settings;
        this.say = say;
    }

    /**
     * Loads the tables. Blocks until every row is in, or the first failure (the other chunks are
     * cancelled, the tables not loaded are recorded FAILED with the reason, and it throws).
     *
     * @param sourceTables {@code schema.table} each
     * @param snapshotTaken called with the source position once the snapshot is fixed, before any row is read
     */
    public Result run(List<String> sourceTables, Consumer<String> snapshotTaken) {
        long start = System.nanoTime();
        try (Connection exporter = LoadSessions.source(source);
             Connection control = LoadSessions.target(target)) {
            String[] snapshot = LoadSessions.exportSnapshot(exporter);
            say.accept("source snapshot " + snapshot[0] + " at WAL position " + snapshot[1] + "; " + settings.workers()
                    + " worker(s)");
            List<LoadTable> tables = new SourceCatalog(names).describe(exporter, sourceTables);
            new ControlSchema(controlSchema).ensure(control);
            targets.ensureSchemas(control, tables);
            List<TargetTables.Prepared> prepared = prepareAll(tables);
            targets.position(control, snapshot[1]);
            snapshotTaken.accept(snapshot[1]);
            List<TableResult> results = copyAll(prepared, snapshot[0], control);
            long rows = results.stream().mapToLong(TableResult::rows).sum();
            double seconds = (System.nanoTime() - start) / 1e9;
            say.accept(String.format(java.util.Locale.ROOT, "loaded %d rows of %d table(s) in %.1f s (%.0f rows/s)",
                    rows, results.size(), seconds, rows / seconds));
            return new Result(snapshot[1], results, rows, seconds);
        } catch (SQLException e) {
            throw new BulkLoadException("the bulk load failed: " + e.getMessage(), e);
        }
    }

    /**
     * The target tables checked or created on the workers' sessions at once: with many tables their
     * creation (PostgreSQL's catalog) is most of the load, and it parallelizes like the rows do.
     */
    private List<TargetTables.Prepared> prepareAll(List<LoadTable> tables) throws SQLException {
        int n = Math.max(1, Math.min(settings.workers(), tables.size() / 16));
        ExecutorService pool = Executors.newFixedThreadPool(n, daemon("tidemark-bulk-prepare"));
        try {
            List<Future<List<TargetTables.Prepared>>> slices = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                int first = w;
                slices.add(pool.submit(() -> {
                    List<TargetTables.Prepared> slice = new ArrayList<>();
                    try (Connection c = LoadSessions.target(target)) {
                        for (int i = first; i < tables.size(); i += n) {
                            slice.add(targets.prepare(c, tables.get(i)));
                        }
                    }
                    return slice;
                }));
            }
            TargetTables.Prepared[] inOrder = new TargetTables.Prepared[tables.size()];
            for (int w = 0; w < n; w++) {
                List<TargetTables.Prepared> slice = slices.get(w).get();
                for (int k = 0; k < slice.size(); k++) {
                    inOrder[w + k * n] = slice.get(k);
                }
            }
            return List.of(inOrder);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof BulkLoadException b) {
                throw b;
            }
            if (e.getCause() instanceof SQLException q) {
                throw q;
            }
            throw new BulkLoadException("preparing the target tables failed: " + LoadProgress.reason(e.getCause()),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BulkLoadException("the bulk load was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread th = new Thread(r, name);
            th.setDaemon(true);
            return th;
        };
    }

    private List<TableResult> copyAll(List<TargetTables.Prepared> prepared, String snapshot, Connection control)
            throws SQLException {
        Map<LoadTable, TableCopy> copies = new LinkedHashMap<>();
        ConcurrentLinkedQueue<ChunkCopy> queue = new ConcurrentLinkedQueue<>();
        List<ChunkCopy> chunks = new ArrayList<>();
        for (TargetTables.Prepared p : prepared) {
            List<ChunkCopy> own = chunks(p);
            copies.put(p.table(), new TableCopy(p, own.size()));
            chunks.addAll(own);
        }
        // The largest chunks first, so that the last to finish are small ones.
        chunks.sort(Comparator.comparingLong((ChunkCopy c) -> c.toPage() < 0 ? Long.MAX_VALUE : c.toPage() - c.fromPage())
                .reversed());
        queue.addAll(chunks);
        int workers = Math.max(1, Math.min(settings.workers(), chunks.size()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, daemon("tidemark-bulk-load"));
        LoadProgress progress = new LoadProgress(copies.values(), say);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                running.add(pool.submit(() -> {
                    work(queue, snapshot, copies);
                    return null;
                }));
            }
            progress.await(running, settings.progressMs(), rows -> rows.forEach((t, n) -> {
                try {
                    targets.progress(control, t.table().table(), n);
                } catch (SQLException e) {
                    say.accept("could not record the progress of " + t.table().table().source() + ": " + e.getMessage());
                }
            }));
        } catch (RuntimeException e) {
            // The other workers end the chunk they copy (a COPY cannot be interrupted) and take no other.
            pool.shutdownNow();
            awaitWorkers(pool);
            for (TableCopy c : copies.values()) {
                if (!c.done()) {
                    targets.finished(control, c.table().table(), c.rows(), LoadProgress.reason(e));
                }
            }
            throw e;
        } finally {
            pool.shutdownNow();
        }
        List<TableResult> results = new ArrayList<>();
        for (TableCopy c : copies.values()) {
            results.add(new TableResult(c.table().table().source(), c.table().table().target().toString(), c.rows(),
                    c.chunks, c.seconds()));
        }
        return results;
    }

    private static void awaitWorkers(ExecutorService pool) {
        try {
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work(ConcurrentLinkedQueue<ChunkCopy> queue, String snapshot, Map<LoadTable, TableCopy> copies)
            throws SQLException {
        try (Connection src = LoadSessions.source(source); Connection dst = LoadSessions.target(target)) {
            LoadSessions.importSnapshot(src, snapshot);
            ChunkCopy chunk;
            while ((chunk = queue.poll()) != null) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                TableCopy table = copies.get(chunk.table().table());
                table.add(chunk.copy(src, dst, table.progress));
                if (table.chunkDone()) {
                    if (chunk.table().keyAfter()) {
                        targets.addKey(dst, chunk.table().table());
                    }
                    targets.finished(dst, chunk.table().table(), table.rows(), null);
                    say.accept(table.finishedLine());
                }
            }
        }
    }

    private List<ChunkCopy> chunks(TargetTables.Prepared p) {
        LoadTable t = p.table();
        long wanted = (long) settings.workers() * settings.chunksPerWorker();
        if (!t.chunked() || t.pages() < MIN_CHUNK_PAGES * 2 || wanted < 2) {
            return List.of(new ChunkCopy(p, 0, -1));
        }
        long size = Math.max(MIN_CHUNK_PAGES, (t.pages() + wanted - 1) / wanted);
        List<ChunkCopy> chunks = new ArrayList<>();
        for (long from = 0; from < t.pages(); from += size) {
            // The last chunk is open-ended: the table may have grown since its size was read.
            chunks.add(new ChunkCopy(p, from, from + size >= t.pages() ? -1 : from + size));
        }
        return chunks;
    }

    /** One table's chunks: how many are left, the rows so far, the time from the first to the last. */
    static final class TableCopy {
        private final TargetTables.Prepared table;
        private final int chunks;
        private final AtomicInteger chunksLeft;
        private final AtomicLong rows = new AtomicLong();
        final AtomicLong progress = new AtomicLong();
        private final long start = System.nanoTime();
        private volatile long end;

        TableCopy(TargetTables.Prepared table, int chunks) {
            this.table = table;
            this.chunks = chunks;
            this.chunksLeft = new AtomicInteger(chunks);
        }

        TargetTables.Prepared table() {
            return table;
        }

        void add(long chunkRows) {
            rows.addAndGet(chunkRows);
        }

        boolean chunkDone() {
            boolean last = chunksLeft.decrementAndGet() == 0;
            if (last) {
                end = System.nanoTime();
            }
            return last;
        }

        boolean done() {
            return chunksLeft.get() == 0;
        }

        long rows() {
            return rows.get();
        }

        double seconds() {
            return ((end == 0 ? System.nanoTime() : end) - start) / 1e9;
        }

        String finishedLine() {
            return String.format(java.util.Locale.ROOT, "%s -> %s: %d rows in %.1f s", table.table().source(),
                    table.table().target(), rows(), seconds());
        }
    }
}
