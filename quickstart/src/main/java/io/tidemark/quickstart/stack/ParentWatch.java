package io.tidemark.quickstart.stack;

import java.util.Arrays;

/**
 * The main class of the quickstart's child JVMs: runs Kafka's own main class (the broker's
 * {@code kafka.Kafka}, the worker's {@code ConnectDistributed}) and exits, through the usual
 * shutdown hooks, as soon as the quickstart that started it is gone, even if that was killed
 * with SIGKILL. So no broker or worker outlives its quickstart.
 *
 * <p>Arguments: the parent's pid, the main class, then that class's arguments.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    public static void main(String[] args) throws Throwable {
        long parent = Long.parseLong(args[0]);
        ProcessHandle.of(parent).ifPresentOrElse(
                handle -> handle.onExit().thenRun(ParentWatch::parentGone),
                ParentWatch::parentGone);
        Class<?> main = Class.forName(args[1]);
        try {
            main.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void parentGone() {
        System.err.println("The quickstart that started this process is gone: shutting down");
        System.exit(143);
    }
}
