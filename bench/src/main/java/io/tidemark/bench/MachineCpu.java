package io.tidemark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.tidemark.testkit.PostgresTestDatabase;

/**
 * Where a timed run's CPU went, on the whole machine: this JVM's threads by group (Connect's task
 * threads, Tidemark's applier, the garbage collector, the JIT, the embedded Kafka broker), the
 * local PostgreSQL server's processes, and everything else (mostly the kernel writing WAL and
 * data pages back), with the WAL PostgreSQL wrote. Read from {@code /proc} (Linux) and from
 * PostgreSQL; on another system, or with a PostgreSQL on another machine, the parts that cannot
 * be read are left out.
 *
 * <p>On a 2-core machine that Connect saturates this is what explains a ratio: a sink's cost is
 * its own threads plus the database's work, and both take cores away from the converter.
 */
final class MachineCpu {

    /** Thread name prefixes (as the kernel keeps them: 15 characters) and the group each counts in. */
    private static final List<String[]> GROUPS = List.of(
            new String[] {"task-thread-", "tasks"},
            new String[] {"tidemark-apply", "tidemark applier"},
            new String[] {"GC Thread", "gc"}, new String[] {"G1 ", "gc"}, new String[] {"VM Thread", "gc"},
            new String[] {"C1 CompilerThre", "jit"}, new String[] {"C2 CompilerThre", "jit"},
            new String[] {"data-plane-kafk", "kafka broker"},
            // The JVM's main thread keeps the process's name: the write path's puts run there.
            new String[] {"java", "main"});
    /** The groups in the order the line names them: as listed above, then everything else. */
    private static final List<String> GROUP_ORDER = Stream.concat(GROUPS.stream().map(g -> g[1]).distinct(),
            Stream.of("other")).toList();

    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux build that matters here
    private static final Path PROC = Path.of("/proc");
    private static volatile Long postmasterPid;

    /** One reading; the parts that could not be read are null. */
    record Snapshot(long nanos, Map<Long, KernelThread> jvmThreads, Long postgresTicks, Long busyTicks, String walLsn) {
    }

    /** A thread of this JVM as the kernel sees it: its name now (Connect renames pooled threads) and its CPU ticks. */
    record KernelThread(String name, long ticks) {
    }

    private MachineCpu() {
    }

    static Snapshot now() {
        return new Snapshot(System.nanoTime(), jvmThreads(), postgres(), busyTicks(), walLsn());
    }

    /**
     * The core-seconds of a run: wall time, the machine's busy time, this JVM's threads by group,
     * PostgreSQL's processes (NaN where they could not be read) and the WAL written (-1: unknown).
     */
    record Usage(double wall, double busy, double jvm, Map<String, Double> groups, double postgres, long walBytes) {
        double group(String name) {
            return groups.getOrDefault(name, 0.0);
        }

        /** What the JVM and PostgreSQL took together (without other processes' noise). */
        double jvmAndPostgres() {
            return jvm + (Double.isNaN(postgres) ? 0 : postgres);
        }
    }

    static Usage usage(Snapshot a, Snapshot b) {
        double wall = (b.nanos - a.nanos) / 1e9;
        double busy = a.busyTicks != null && b.busyTicks != null ? (b.busyTicks - a.busyTicks) / TICKS_PER_SECOND
                : Double.NaN;
        double jvm = 0;
        Map<String, Double> groups = new LinkedHashMap<>();
        if (a.jvmThreads != null && b.jvmThreads != null) {
            for (Map.Entry<Long, KernelThread> e : b.jvmThreads.entrySet()) {
                KernelThread earlier = a.jvmThreads.get(e.getKey()); // null: started during the run
                double s = (e.getValue().ticks() - (earlier == null ? 0 : earlier.ticks())) / TICKS_PER_SECOND;
                jvm += s;
                groups.merge(group(e.getValue().name()), s, Double::sum);
            }
        } else {
            jvm = Double.NaN;
        }
        double pg = a.postgresTicks != null && b.postgresTicks != null
                ? (b.postgresTicks - a.postgresTicks) / TICKS_PER_SECOND : Double.NaN;
        long wal = a.walLsn != null && b.walLsn != null ? walBytes(a.walLsn, b.walLsn) : -1;
        return new Usage(wall, busy, jvm, groups, pg, wal);
    }

    /**
     * One line: the machine's core-seconds in the run and where they went, e.g.
     * {@code cpu core-s: 14.6 available, 13.9 busy = jvm 10.9 (tasks 8.2, tidemark applier 0.7, gc 0.5, ...)
     * + postgresql 1.2 + rest 1.8; wal 250 MB}.
     */
    static String between(Snapshot a, Snapshot b) {
        return format(usage(a, b));
    }

    static String format(Usage u) {
        StringBuilder out = new StringBuilder("cpu core-s:");
        out.append(String.format(Locale.ROOT, " %.1f available", u.wall() * Runtime.getRuntime().availableProcessors()));
        if (!Double.isNaN(u.busy())) {
            out.append(String.format(Locale.ROOT, ", %.1f busy", u.busy()));
        }
        if (!Double.isNaN(u.jvm())) {
            out.append(String.format(Locale.ROOT, " = jvm %.1f (", u.jvm()));
            String sep = "";
            for (String g : GROUP_ORDER) {
                Double s = u.groups().get(g);
                if (s != null && s >= 0.05) {
                    out.append(sep).append(String.format(Locale.ROOT, "%s %.1f", g, s));
                    sep = ", ";
                }
            }
            out.append(')');
        }
        if (!Double.isNaN(u.postgres())) {
            out.append(String.format(Locale.ROOT, " + postgresql %.1f", u.postgres()));
        }
        if (!Double.isNaN(u.busy()) && !Double.isNaN(u.postgres()) && !Double.isNaN(u.jvm())) {
            out.append(String.format(Locale.ROOT, " + rest %.1f", u.busy() - u.jvm() - u.postgres()));
        }
        if (u.walBytes() >= 0) {
            out.append(String.format(Locale.ROOT, "; wal %.0f MB", u.walBytes() / 1e6));
        }
        return out.toString();
    }

    private static String group(String thread) {
        for (String[] g : GROUPS) {
            if (thread.startsWith(g[0])) {
                return g[1];
            }
        }
        return "other";
    }

    /** This JVM's threads by id (a thread that ends during a run takes its ticks with it: a small undercount). */
    private static Map<Long, KernelThread> jvmThreads() {
        Map<Long, KernelThread> threads = new LinkedHashMap<>();
        try (Stream<Path> tasks = Files.list(PROC.resolve("self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String[] stat = stat(task.resolve("stat"));
                if (stat != null) {
                    threads.put(field(stat, 1), new KernelThread(stat[1], field(stat, UTIME) + field(stat, STIME)));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return threads;
    }

    /**
     * CPU ticks of the PostgreSQL server: the postmaster (with what its ended children used) and
     * each running child (backends, WAL writer, checkpointer, ...).
     */
    private static Long postgres() {
        try {
            long pm = postmaster();
            String[] own = stat(PROC.resolve(pm + "/stat"));
            if (own == null) {
                return null;
            }
            long ticks = field(own, UTIME) + field(own, STIME) + field(own, CUTIME) + field(own, CSTIME);
            try (Stream<Path> procs = Files.list(PROC)) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    String[] stat = stat(p.resolve("stat"));
                    if (stat != null && field(stat, PPID) == pm) {
                        ticks += field(stat, UTIME) + field(stat, STIME);
                    }
                }
            }
            return ticks;
        } catch (IOException | SQLException | RuntimeException e) {
            return null;
        }
    }

    /** The postmaster: the parent of a backend of ours; fails when PostgreSQL runs on another machine. */
    private static long postmaster() throws SQLException, IOException {
        Long pid = postmasterPid;
        if (pid == null) {
            long backend;
            try (Connection c = PostgresTestDatabase.adminConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                backend = rs.getLong(1);
            }
            String[] stat = stat(PROC.resolve(backend + "/stat"));
            if (stat == null) {
                throw new IOException("PostgreSQL does not run on this machine");
            }
            pid = field(stat, PPID);
            String[] parent = stat(PROC.resolve(pid + "/stat"));
            if (parent == null || !parent[1].startsWith("postgres")) {
                throw new IOException("the backend's parent is not a PostgreSQL server on this machine");
            }
            postmasterPid = pid;
        }
        return pid;
    }

    /** Busy ticks of all cores: everything but idle and iowait. */
    private static Long busyTicks() {
        try {
            String[] cpu = Files.readAllLines(PROC.resolve("stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            return total - idle;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String walLsn() {
        try (Connection c = PostgresTestDatabase.adminConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return null;
        }
    }

    private static long walBytes(String from, String to) {
        return lsn(to) - lsn(from);
    }

    private static long lsn(String text) {
        String[] parts = text.split("/");
        return (Long.parseLong(parts[0], 16) << 32) + Long.parseLong(parts[1], 16);
    }

    /**
     * A /proc stat file split into its fields, numbered as in proc(5) from 1 (field 1, the pid, at
     * index 0; field 2, the name, whatever spaces it holds, at index 1), or null when the process is gone.
     */
    private static String[] stat(Path file) {
        try {
            String s = Files.readString(file);
            int open = s.indexOf('(');
            int close = s.lastIndexOf(')');
            String[] rest = s.substring(close + 2).trim().split(" ");
            String[] out = new String[rest.length + 2];
            out[0] = s.substring(0, open).trim();
            out[1] = s.substring(open + 1, close);
            System.arraycopy(rest, 0, out, 2, rest.length);
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static final int PPID = 4;
    private static final int UTIME = 14;
    private static final int STIME = 15;
    private static final int CUTIME = 16;
    private static final int CSTIME = 17;

    private static long field(String[] stat, int number) {
        return Long.parseLong(stat[number - 1]);
    }
}
