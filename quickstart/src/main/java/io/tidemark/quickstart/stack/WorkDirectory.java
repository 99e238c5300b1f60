package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The quickstart's one directory: {@code logs/} (Kafka's, Connect's and the launcher's own),
 * {@code kafka/} (broker configuration and data), {@code connect/} (worker configuration),
 * {@code plugins/} (the unpacked plugin ZIPs: the worker's plugin.path) and {@code run/} (pid
 * files). Every run starts from an empty one, since the demo databases start empty too; the
 * previous run's logs move to {@code logs.previous/}.
 */
public record WorkDirectory(Path root) {

    public static WorkDirectory fresh(Path root) {
        WorkDirectory work = new WorkDirectory(root.toAbsolutePath().normalize());
        try {
            Files.createDirectories(work.root);
            deleteTree(work.root.resolve("logs.previous"));
            if (Files.isDirectory(work.logs())) {
                Files.move(work.logs(), work.root.resolve("logs.previous"));
            }
            for (String dir : new String[] {"kafka", "connect", "plugins"}) {
                deleteTree(work.root.resolve(dir));
            }
            for (Path dir : new Path[] {work.logs(), work.kafka(), work.connect(), work.plugins(), work.run()}) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the work directory " + root, e);
        }
        return work;
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path kafka() {
        return root.resolve("kafka");
    }

    public Path connect() {
        return root.resolve("connect");
    }

    public Path plugins() {
        return root.resolve("plugins");
    }

    public Path run() {
        return root.resolve("run");
    }

    public Path log(String name) {
        return logs().resolve(name);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
