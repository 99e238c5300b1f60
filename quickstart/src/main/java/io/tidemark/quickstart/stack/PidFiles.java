package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.tidemark.quickstart.QuickstartException;

/**
 * The work directory's {@code run/}: a pid file per child JVM and one for the quickstart itself,
 * each naming the process and the quickstart by pid and start time (a pid the system has given to
 * another process since is not ours; command lines cannot tell, the JDK cuts them at 4 KB). So a
 * run can end what an earlier one left behind, and refuses to start while another one runs.
 */
public final class PidFiles {

    private static final String LAUNCHER = "quickstart";

    private PidFiles() {
    }

    static Path of(Path runDir, String name) {
        return runDir.resolve(name + ".pid");
    }

    /** Records a child of this quickstart. */
    static Path write(Path runDir, String name, ProcessHandle child) throws IOException {
        Path file = of(runDir, name);
        Files.writeString(file, identity(child) + " " + identity(ProcessHandle.current()) + "\n");
        return file;
    }

    /**
     * Ends the processes an earlier run in this work directory left behind: a pid file whose
     * process still runs, while the quickstart that started it is gone. Refuses to go on while
     * that quickstart still runs. Tells {@code report} what it does.
     */
    public static void stopLeftovers(Path runDir, Consumer<String> report) {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                String[] ids = Files.readString(pidFile, StandardCharsets.UTF_8).trim().split(" ");
                String name = pidFile.getFileName().toString().replace(".pid", "");
                Optional<ProcessHandle> child = running(ids, 0);
                if (child.isPresent()) {
                    Optional<ProcessHandle> launcher = running(ids, 2);
                    if (launcher.isPresent()) {
                        throw new QuickstartException("another quickstart (pid " + launcher.get().pid() + ") runs in "
                                + runDir.getParent() + ": stop it first, or give this one --work-dir and --database-prefix of its own");
                    }
                    report.accept("stopping the " + name + " left running by an earlier quickstart (pid " + child.get().pid() + ")");
                    ChildJvm.stop(child.get(), name, ChildJvm.STOP_SECONDS);
                }
                Files.delete(pidFile);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof QuickstartException q) {
                throw q;
            }
            throw new QuickstartException("cannot read the pid files in " + runDir + ": " + e.getMessage()
                    + "; remove that directory if no quickstart runs");
        }
    }

    /**
     * Marks the work directory as this quickstart's until {@link #unmarkLauncher}: a second one
     * started meanwhile finds it in {@link #stopLeftovers} and refuses, before it touches anything.
     */
    public static void markLauncher(Path runDir) {
        String self = identity(ProcessHandle.current());
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve(LAUNCHER + ".pid"), self + " " + self + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void unmarkLauncher(Path runDir) {
        try {
            Files.deleteIfExists(runDir.resolve(LAUNCHER + ".pid"));
        } catch (IOException e) {
            // a stale mark names a dead process: the next run ignores it
        }
    }

    // A pid and the process's start time: a pid the system gave to another process since is not ours.
    private static String identity(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static Optional<ProcessHandle> running(String[] ids, int at) {
        if (ids.length < at + 2) {
            return Optional.empty();
        }
        long started = Long.parseLong(ids[at + 1]);
        return ProcessHandle.of(Long.parseLong(ids[at])).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant().map(Instant::toEpochMilli).orElse(0L) == started);
    }

}
