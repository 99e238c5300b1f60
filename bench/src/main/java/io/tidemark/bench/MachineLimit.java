package io.tidemark.bench;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Locale;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The machine limit: the rows per second this machine allows a sink at most, from two costs
 * measured in the same run. The converter floor's CPU per record (Connect, the consumer, the
 * converter: the floor run's JVM and PostgreSQL core-seconds over its records) and a raw
 * {@code COPY}'s CPU per row (PostgreSQL's processes and the client thread sending it). Every record
 * needs both, and the run has {@code cores} cores, so {@code cores / (floor + copy)} rows/s; never
 * more than the floor itself delivers with as many tasks.
 *
 * <p>The raw {@code COPY} is of the benchmark table's rows, encoded by PostgreSQL itself
 * ({@code COPY ... TO STDOUT}, untimed) and sent back, timed, with {@code COPY ... FROM STDIN} into an
 * unlogged table without a key: the least any sink can make PostgreSQL do for a row, in binary and
 * (for comparison) in text form. The client's encoding is not in it; a sink's is its own cost.
 */
final class MachineLimit {

    /**
     * A raw COPY's cost per row, in microseconds of CPU.
     *
     * @param keyed into a logged table with the target's primary key (what a sink's target is), not an
     *              unlogged one without a key
     */
    record CopyCost(String format, boolean keyed, long rows, double seconds, double postgresUs, double clientUs,
                    String cpu) {
        double us() {
            return postgresUs + clientUs;
        }

        double rowsPerSecond() {
            return rows / seconds;
        }

        String line() {
            return String.format(Locale.ROOT, "raw copy format=%s%s rows=%d rows_s=%.0f cpu_us_per_row=%.2f "
                    + "(postgresql %.2f, client %.2f)", format, keyed ? " target=keyed" : "", rows, rowsPerSecond(),
                    us(), postgresUs, clientUs);
        }
    }

    private static final int CHUNK = 1 << 20;

    private MachineLimit() {
    }

    /**
     * Measures a raw COPY of {@code rows} rows of the table (versions 1) in the given format, into an
     * unlogged table without a key, or ({@code keyed}) a logged one with the primary key the sinks' targets
     * have: the WAL and the index every sink writing a real target pays, which the first leaves out.
     */
    static CopyCost copyCost(BenchTable table, int rows, String format, boolean keyed) throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create("bench_limit"); Connection c = db.connect()) {
            try (Statement st = c.createStatement()) {
                st.execute(keyed ? RawCopy.KEYED_DDL : RawCopy.DDL);
                st.execute(RawCopy.DDL.replace("raw_copy", "raw_source"));
            }
            RawCopy.fill(c, "raw_source", table, rows);
            CopyManager copies = c.unwrap(PGConnection.class).getCopyAPI();
            ByteArrayOutputStream encoded = new ByteArrayOutputStream();
            copies.copyOut("COPY raw_source TO STDOUT (FORMAT " + format + ")", encoded);
            byte[] bytes = encoded.toByteArray();
            c.setAutoCommit(false);
            // Once untimed, then emptied: the first COPY of a run cost 1.5 times the later ones
            // (2026-12-07: 4.17 against 2.72 us a row), which made the Connect lines' limit too low.
            send(copies, format, bytes);
            c.commit();
            try (Statement st = c.createStatement()) {
                st.execute("TRUNCATE raw_copy");
            }
            c.commit();
            SinkBench.settle();
            MachineCpu.Snapshot before = MachineCpu.now();
            long start = System.nanoTime();
            send(copies, format, bytes);
            c.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            MachineCpu.Usage u = MachineCpu.usage(before, MachineCpu.now());
            return new CopyCost(format, keyed, rows, seconds, u.postgres() / rows * 1e6, u.group("main") / rows * 1e6,
                    MachineCpu.format(u));
        }
    }

    private static void send(CopyManager copies, String format, byte[] bytes) throws Exception {
        CopyIn copy = copies.copyIn("COPY raw_copy FROM STDIN (FORMAT " + format + ")");
        for (int pos = 0; pos < bytes.length; pos += CHUNK) {
            copy.writeToCopy(bytes, pos, Math.min(CHUNK, bytes.length - pos));
        }
        copy.endCopy();
    }

    /**
     * The limit for a line: {@code cores / (floor + copy)} rows/s from the floor run's CPU per record
     * and the raw binary COPY's per row, at most the floor's own rate.
     */
    static double rowsPerSecond(ConnectBench.Run floor, CopyCost copy) {
        int cores = Runtime.getRuntime().availableProcessors();
        double floorUs = floorUs(floor);
        return Math.min(floor.rowsPerSecond(), cores / ((floorUs + copy.us()) / 1e6));
    }

    /** The floor's CPU per record: its JVM's and PostgreSQL's core-seconds (other processes' left out). */
    static double floorUs(ConnectBench.Run floor) {
        return floor.usage().jvmAndPostgres() / floor.records() * 1e6;
    }

    static String line(String workload, BenchConverter converter, int tasks, ConnectBench.Run floor, CopyCost copy) {
        return String.format(Locale.ROOT, "limit workload=%s converter=%s tasks=%d cores=%d floor_cpu_us_per_row=%.2f"
                + " copy_cpu_us_per_row=%.2f (postgresql %.2f, client %.2f) floor_rows_s=%.0f limit_rows_s=%.0f",
                workload, converter.label(), tasks, Runtime.getRuntime().availableProcessors(), floorUs(floor), copy.us(),
                copy.postgresUs(), copy.clientUs(), floor.rowsPerSecond(), rowsPerSecond(floor, copy));
    }
}
