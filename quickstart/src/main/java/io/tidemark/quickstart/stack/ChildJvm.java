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

    private final String name;
    private final Process process;
    private final Path pidFile;
    private final Path output;

    private ChildJvm(String name, Process process, Path pidFile, Path output) {
        this.name = name;
        this.process = process;
        this.pidFile = pidFile;
        this.output = output;
    }

    public static ChildJvm start(String name, WorkDirectory work, List<String> jvmOptions, String mainClass,
                                 List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(childClasspath());
        command.add(ParentWatch.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(mainClass);
        command.addAll(args);
        Path output = work.log(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.root().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            Path pidFile = work.run().resolve(name + ".pid");
            Files.writeString(pidFile, process.pid() + " " + work.root() + "\n");
            return new ChildJvm(name, process, pidFile, output);
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

    public long pid() {
        return process.pid();
    }

    /** Throws, naming the output file, when the process has ended. */
    public void checkAlive(Path log) {
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
     * process is alive and is one of ours for this work directory. Tells {@code report} what it does.
     */
    public static void stopLeftovers(Path runDir, Consumer<String> report) {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                String[] content = Files.readString(pidFile, StandardCharsets.UTF_8).trim().split(" ", 2);
                String name = pidFile.getFileName().toString().replace(".pid", "");
                ProcessHandle.of(Long.parseLong(content[0]))
                        .filter(h -> h.info().commandLine().map(c -> c.contains(ParentWatch.class.getName())
                                && content.length > 1 && c.contains(content[1])).orElse(false))
                        .ifPresent(h -> {
                            report.accept("stopping the " + name + " left running by an earlier quickstart (pid " + h.pid() + ")");
                            stop(h, name, STOP_SECONDS);
                        });
                Files.delete(pidFile);
            }
        } catch (IOException | NumberFormatException e) {
            throw new QuickstartException("cannot read the pid files in " + runDir + ": " + e.getMessage()
                    + "; remove that directory if no quickstart runs");
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
