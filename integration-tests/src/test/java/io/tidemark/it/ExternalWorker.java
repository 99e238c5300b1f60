package io.tidemark.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.awaitility.Awaitility;

/**
 * A Connect worker in a JVM of its own ({@code ConnectDistributed}, the test's class path, the
 * same Kafka, group and plugin path as the embedded workers), so that a test can kill it with
 * SIGKILL: no graceful stop, no leave-group, no task {@code stop()} or {@code close()}, its
 * PostgreSQL sessions cut by the kernel — what a crashed or OOM-killed worker does. The embedded
 * cluster cannot do that: {@code removeWorker} always stops a worker gracefully.
 */
final class ExternalWorker implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ExternalWorker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a worker with these worker properties (bootstrap servers, group and topics included)
     * and waits until its REST API answers.
     */
    static ExternalWorker start(Map<String, String> workerProps, Path dir) {
        try {
            Files.createDirectories(dir);
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Properties props = new Properties();
            props.putAll(workerProps);
            props.setProperty("listeners", "http://localhost:" + port);
            props.setProperty("rest.advertised.host.name", "localhost");
            Path config = dir.resolve("worker-" + port + ".properties");
            try (Writer w = Files.newBufferedWriter(config)) {
                props.store(w, "external worker of " + ExternalWorker.class.getSimpleName());
            }
            Path log = dir.resolve("worker-" + port + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // The class path of this JVM (failsafe's manifest-only jar names the test class path).
            Process process = new ProcessBuilder(List.of(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                    "org.apache.kafka.connect.cli.ConnectDistributed", config.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ExternalWorker worker = new ExternalWorker(process, port, log);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            Awaitility.await("the external worker's REST API on port " + port).atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("the external worker ended (exit " + process.exitValue()
                                    + "), see " + log);
                        }
                        return worker.answers();
                    });
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean answers() {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/connectors")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The worker id Connect's status API shows for it. */
    String workerId() {
        return "localhost:" + port;
    }

    Path log() {
        return log;
    }

    /** SIGKILL (on Unix, {@code destroyForcibly}), and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        kill();
    }
}
