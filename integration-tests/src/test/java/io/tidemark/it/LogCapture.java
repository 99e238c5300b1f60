package io.tidemark.it;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the warnings logged in this JVM, where the embedded Connect worker and the plugins it
 * loaded log too (the plugin ZIP leaves the logging API to the worker).
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    /**
     * A warning and the methods of {@code io.tidemark.sink.PostgresSinkTask} on the stack that
     * logged it: which of Connect's callbacks (put, preCommit, close, ...) the path ran in.
     */
    public record Line(String message, List<String> sinkTaskMethods) {
    }

    private static final String SINK_TASK = "io.tidemark.sink.PostgresSinkTask";

    private LogCapture() {
        super("tidemark-test-capture", null, null, true, Property.EMPTY_ARRAY);
    }

    public static LogCapture warnings() {
        LogCapture capture = new LogCapture();
        capture.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(capture, Level.WARN, null);
        context.updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        String message = event.getMessage().getFormattedMessage();
        messages.add(message);
        // Appenders run on the logging thread (no async loggers here), so its stack is the path's.
        List<String> callbacks = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().equals(SINK_TASK)).map(StackWalker.StackFrame::getMethodName).toList());
        lines.add(new Line(message, callbacks));
    }

    /** The warnings starting with one of the prefixes that were logged inside the sink task's {@code method}. */
    public long countIn(String method, String... prefixes) {
        return lines.stream().filter(l -> l.sinkTaskMethods().contains(method))
                .filter(l -> Arrays.stream(prefixes).anyMatch(l.message()::startsWith)).count();
    }

    public List<String> messages() {
        return messages;
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
