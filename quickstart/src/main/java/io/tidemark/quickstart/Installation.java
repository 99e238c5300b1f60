package io.tidemark.quickstart;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where Tidemark is: the repository ({@code tidemark.home}, set by {@code bin/tidemark}; else found
 * from this class's location, {@code quickstart/target/classes}) and what the build put into
 * {@code quickstart/target}: the plugin ZIPs, Oracle's JDBC driver and the classpath.
 */
public record Installation(Path home) {

    public static Installation locate() {
        String configured = System.getProperty("tidemark.home");
        if (configured != null && !configured.isBlank()) {
            return new Installation(Path.of(configured).toAbsolutePath().normalize());
        }
        try {
            Path classes = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new Installation(classes.getParent().getParent().getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path target() {
        return home.resolve("quickstart/target");
    }

    public Path pluginZips() {
        return existing(target().resolve("plugin-zips"));
    }

    public Path oracleJdbc() {
        return existing(target().resolve("oracle-jdbc"));
    }

    /** A file of the shipped configuration, e.g. {@code config/worker/connect-distributed.properties}. */
    public Path config(String relative) {
        return existing(home.resolve("config").resolve(relative));
    }

    /** The CLI's classpath ({@code control-api/target}), on which the control API runs. */
    public String controlApiClasspath() {
        Path target = existing(home.resolve("control-api/target/classes")).getParent();
        return target.resolve("classes") + java.io.File.pathSeparator + existing(target.resolve("lib")) + "/*";
    }

    public Path script(String relative) {
        return existing(home.resolve("scripts").resolve(relative));
    }

    private static Path existing(Path path) {
        if (!Files.exists(path)) {
            throw new QuickstartException(path + " is missing: run bin/tidemark quickstart, which builds it");
        }
        return path;
    }
}
