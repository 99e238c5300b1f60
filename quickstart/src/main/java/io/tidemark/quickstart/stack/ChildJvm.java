package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.tidemark.quickstart.QuickstartException;

/**
 * A JVM the quickstart starts (the broker, the worker): Kafka's main class under
 * {@link ParentWatch}, the quickstart's classpath without Oracle's driver, stdout and stderr into
 * {@code logs/<name>.out}, and a pid file in {@code run/}, so that a later run can end a process
 * this one left behind (should {@link ParentWatch} not have).
 */
public final class ChildJvm implements AutoCloseable {

    private static final long STOP_SECONDS = 30;
    private static final String LAUNCHER = "quickstart";

    private final String name;
    private final Process process;
    private final Path pidFile;
    private final Path output;
    private final Path log;

    private ChildJvm(String name, Process process, Path pidFile, Path output, Path log) {
        this.name = name;
        this.process = process;
        this.pidFile = pidFile;
        this.output = output;
        this.log = log;
    }

    /**
     * @param outlive the name of a child that must end before this one when the quickstart dies
     *                without stopping them (null for none)
     * @param log     the process's log file, which its log4j2 configuration names
     */
    public static ChildJvm start(String name, String outlive, WorkDirectory work, Path log, List<String> jvmOptions,
                                 String mainClass, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(childClasspath());
        command.add(ParentWatch.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(outlive == null ? "-" : pidFile(work, outlive).toString());
        command.add(mainClass);
        command.addAll(args);
        Path output = work.log(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.root().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            Path pidFile = pidFile(work, name);
            Files.writeString(pidFile, identity(process.toHandle()) + " " + identity(ProcessHandle.current()) + "\n");
            return new ChildJvm(name, process, pidFile, output, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " JVM", e);
        }
    }

    private static Path pidFile(WorkDirectory work, String name) {
        return work.run().resolve(name + ".pid");
    }

    // The worker must find Oracle's driver in the source plugin's lib/ as docs/oracle.md says, not here.
    private static String childClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.contains("oracle-jdbc"))
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Throws, naming the log files, when the process has ended. */
    public void checkAlive() {
        if (!process.isAlive()) {
            throw new QuickstartException("the " + name + " process ended (exit code " + process.exitValue() + "); see "
                    + log + " and " + output + ":\n" + tail(log, 15));
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM (the process's shutdown hooks run), then a bounded wait, then SIGKILL. Idempotent. */
    @Override
    public void close() {
        stop(process.toHandle(), name, STOP_SECONDS);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // a pid file left behind names a dead process: the next run ignores it
        }
    }

    private static void stop(ProcessHandle handle, String name, long seconds) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("The " + name + " process (pid " + handle.pid() + ") did not stop within " + seconds
                    + " s: killing it");
            handle.destroyForcibly();
        }
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
                    stop(child.get(), name, STOP_SECONDS);
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

    /** The last lines of a log, to show with an error. */
    public static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "  (" + file + " does not exist)";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(l -> "  | " + l).collect(Collectors.joining("\n"));
        } catch (IOException | UncheckedIOException e) {
            return "  (cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
