package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The main class of the quickstart's child JVMs: runs Kafka's own main class (the broker's
 * {@code kafka.Kafka}, the worker's {@code ConnectDistributed}) and exits, through the usual
 * shutdown hooks, as soon as the quickstart that started it is gone, even if that was killed
 * with SIGKILL. So no broker or worker outlives its quickstart.
 *
 * <p>Arguments: the parent's pid; a pid file whose process must end first ({@code -} for none:
 * the broker waits for the worker, which would otherwise wait for a broker that is gone); the main
 * class; that class's arguments.
 */
public final class ParentWatch {

    private static final long OUTLIVE_SECONDS = 40;

    private ParentWatch() {
    }

    public static void main(String[] args) throws Throwable {
        long parent = Long.parseLong(args[0]);
        Path before = args[1].equals("-") ? null : Path.of(args[1]);
        ProcessHandle.of(parent).ifPresentOrElse(
                handle -> handle.onExit().thenRun(() -> parentGone(before)),
                () -> parentGone(before));
        Class<?> main = Class.forName(args[2]);
        try {
            main.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 3, args.length));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void parentGone(Path before) {
        System.err.println("The quickstart that started this process is gone: shutting down");
        if (before != null) {
            try {
                long pid = Long.parseLong(Files.readString(before).trim().split(" ")[0]);
                ProcessHandle.of(pid).ifPresent(p -> {
                    try {
                        p.onExit().get(OUTLIVE_SECONDS, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // stop anyway
                    }
                });
            } catch (IOException | RuntimeException e) {
                // no such process (any more)
            }
        }
        System.exit(143);
    }
}
