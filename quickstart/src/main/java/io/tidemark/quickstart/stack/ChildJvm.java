package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.tidemark.quickstart.QuickstartException;

/**
 * A JVM the quickstart starts (the broker, the worker): Kafka's main class under
 * {@link ParentWatch}, the quickstart's classpath without Oracle's driver, stdout and stderr into
 * {@code logs/<name>.out}, and a pid file in {@code run/} ({@link PidFiles}).
 */
public final class ChildJvm implements AutoCloseable {

    static final long STOP_SECONDS = 30;
    // Every child's, before its own options: the serial collector and C1 only, for a quick start on a small machine.
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

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
     * @param jvmOptions the child's own JVM options, after the serial GC and C1 only that every child runs with
     */
    public static ChildJvm start(String name, String outlive, WorkDirectory work, Path log, List<String> jvmOptions,
                                 String mainClass, List<String> args, Map<String, String> env) {
        return start(name, outlive, work, log, jvmOptions, childClasspath(), mainClass, args, env);
    }

    /**
     * A child on a classpath of its own (the control API runs on the CLI's); it must hold
     * {@link ParentWatch}, i.e. the quickstart's classes.
     */
    public static ChildJvm start(String name, String outlive, WorkDirectory work, Path log, List<String> jvmOptions,
                                 String classpath, String mainClass, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(ParentWatch.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(outlive == null ? "-" : PidFiles.of(work.run(), outlive).toString());
        command.add(mainClass);
        command.addAll(args);
        Path output = work.log(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.root().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            return new ChildJvm(name, process, PidFiles.write(work.run(), name, process.toHandle()), output, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " JVM", e);
        }
    }

    // The worker must find Oracle's driver in the source plugin's lib/ as docs/oracle.md says, not here.
    private static String childClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.contains("oracle-jdbc"))
                .collect(Collectors.joining(java.io.File.pathSeparator));
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

    static void stop(ProcessHandle handle, String name, long seconds) {
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
