package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A log4j2 configuration that writes one process's log to one file of {@code logs/}, not to the terminal. */
public final class LogConfig {

    /** The system property that selects log4j2's configuration file. */
    public static final String PROPERTY = "log4j2.configurationFile";

    private LogConfig() {
    }

    /**
     * Writes the configuration and returns its file.
     *
     * @param quieter loggers to set to another level than INFO
     */
    public static Path write(Path configFile, Path logFile, Map<String, String> quieter) {
        StringBuilder b = new StringBuilder()
                .append("status = warn\n")
                .append("appender.file.type = File\n")
                .append("appender.file.name = file\n")
                .append("appender.file.fileName = ").append(logFile).append('\n')
                .append("appender.file.layout.type = PatternLayout\n")
                // Connect's own pattern: the connector context says which connector and task logged.
                .append("appender.file.layout.pattern = [%d] %p %X{connector.context}%m (%c{1.}:%L)%n\n")
                .append("rootLogger.level = info\n")
                .append("rootLogger.appenderRef.file.ref = file\n");
        int i = 0;
        for (Map.Entry<String, String> logger : quieter.entrySet()) {
            b.append("logger.l").append(i).append(".name = ").append(logger.getKey()).append('\n');
            b.append("logger.l").append(i).append(".level = ").append(logger.getValue()).append('\n');
            i++;
        }
        try {
            Files.writeString(configFile, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return configFile;
    }

    /** The JVM option that selects the configuration file of a child JVM. */
    public static String jvmOption(Path configFile) {
        return "-D" + PROPERTY + "=" + configFile;
    }
}
