package io.tidemark.quickstart.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidemark.quickstart.QuickstartException;

/**
 * The control API as an operator runs it, {@code tidemark serve}, in a JVM of its own on the CLI's
 * classpath: the shipped project descriptor ({@code config/projects/<project>/project.json}), a
 * free port on 127.0.0.1 and a bearer token made for this run, in files only their owner reads:
 * {@code run/api-tokens} for the server (named {@code quickstart}, scope admin) and
 * {@code run/api-token} for the CLI.
 */
public final class ControlApiServer extends ChildService {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String url;
    private final Path tokenFile;

    private ControlApiServer(ChildJvm jvm, String url, Path tokenFile) {
        super(jvm);
        this.url = url;
        this.tokenFile = tokenFile;
    }

    /**
     * @param classpath the CLI's classpath, plus the quickstart's classes for {@link ParentWatch}
     * @param env       the values of the descriptor's and connector files' {@code ${env:...}} references
     */
    public static ControlApiServer start(WorkDirectory work, String classpath, Path projectDir, Map<String, String> env) {
        int port = FreePorts.next();
        Path tokenFile = writeToken(work.run().resolve("api-token"));
        // The server's tokens file names the token and its scope (the audit shows the name); the CLI reads the token alone.
        Path tokensFile = writeSecret(work.run().resolve("api-tokens"), "quickstart admin " + read(tokenFile));
        Path log = work.log("control-api.log");
        String logOption = LogConfig.jvmOption(LogConfig.write(work.run().resolve("log4j2-control-api.properties"), log,
                Map.of("org.apache.kafka", "warn")));
        ChildJvm jvm = ChildJvm.start("control-api", null, work, log,
                List.of("-Xmx256m", logOption), classpath,
                "io.tidemark.control.cli.TidemarkCli", List.of("serve", "--projects", projectDir.toString(),
                        "--bind", "127.0.0.1", "--port", Integer.toString(port), "--tokens-file", tokensFile.toString()),
                env);
        ControlApiServer server = new ControlApiServer(jvm, "http://127.0.0.1:" + port, tokenFile);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        server.awaitReady("the control API at " + server.url, START_TIMEOUT, "see " + jvm.log() + " and "
                + work.log("control-api.out"), () -> {
                    HttpResponse<Void> health = http.send(HttpRequest.newBuilder(URI.create(server.url + "/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    return health.statusCode() == 200;
                });
        return server;
    }

    private static Path writeToken(Path file) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return writeSecret(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    /** A file only its owner reads. */
    private static Path writeSecret(Path file, String line) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, line + "\n");
            return file;
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("the file system of " + file + " has no POSIX permissions", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the control API's token to " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public String url() {
        return url;
    }

    /**
     * {@code POST /projects/{project}/verify} with this run's token, as {@code bin/tidemark verify}
     * asks it; returns the result's message ({@code IN_SYNC: …} when every table is in sync).
     */
    public String verify(String project, Duration timeout) {
        try {
            HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create(url + "/projects/" + project + "/verify")).timeout(timeout)
                            .header("Authorization", "Bearer " + read(tokenFile))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(answer.body());
            if (answer.statusCode() != 200) {
                throw new QuickstartException("the verification was refused (HTTP " + answer.statusCode() + "): "
                        + body.path("message").asText(answer.body()));
            }
            return body.path("message").asText();
        } catch (IOException e) {
            throw new QuickstartException("the control API at " + url + " did not answer the verification: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuickstartException("interrupted");
        }
    }

    public Path tokenFile() {
        return tokenFile;
    }
}
