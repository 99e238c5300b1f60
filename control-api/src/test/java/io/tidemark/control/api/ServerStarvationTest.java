package io.tidemark.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.auth.BearerTokens;

/**
 * Slow clients and long actions must not starve the routes a prober or an operator needs: idle
 * TCP connections that send one byte, and soft stops waiting on a Connect worker that accepts and
 * never answers (a hung peer, simulated by a socket: no Connect behaviour is imitated), while
 * {@code /health}, {@code /ready} and a status read are timed. The figures are printed; the test fails only when
 * a route does not answer at all within {@link #PATIENCE}.
 */
class ServerStarvationTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final int SLOW_CLIENTS = 16;
    private static final int LONG_ACTIONS = 8;

    private static ServerSocket hangingConnect;
    private static final List<Socket> held = new CopyOnWriteArrayList<>();
    private static ControlServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Socket> slow = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        hangingConnect = new ServerSocket(0, 100, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!hangingConnect.isClosed()) {
                try {
                    held.add(hangingConnect.accept()); // read nothing, answer nothing
                } catch (IOException e) {
                    return;
                }
            }
        }, "hanging-connect");
        acceptor.setDaemon(true);
        acceptor.start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ProjectServices stuck = ProjectServices.of(TestProjects.project("stuck", URI.create("http://127.0.0.1:"
                + hangingConnect.getLocalPort()), null, Duration.ofSeconds(20)), Map.of());
        ProjectServices down = ProjectServices.of(TestProjects.project("down", URI.create("http://127.0.0.1:" + closedPort),
                null), Map.of());
        server = new ControlServer(new InetSocketAddress("127.0.0.1", 0), Map.of("stuck", stuck, "down", down),
                BearerTokens.of(List.of(TOKEN)));
        server.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        hangingConnect.close();
        for (Socket s : held) {
            s.close();
        }
    }

    @AfterEach
    void closeSlowClients() throws IOException {
        for (Socket s : slow) {
            s.close();
        }
    }

    @Test
    void slowConnectionsDoNotDelayHealthOrAStatusRead() throws Exception {
        Timed baseline = timed("GET", "/projects/down", TOKEN);
        System.out.printf("alone: GET /projects/down %s (its target database does not answer either)%n", baseline);
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            Socket s = new Socket("127.0.0.1", server.port());
            OutputStream out = s.getOutputStream();
            out.write('G'); // the first byte of a request line that never comes
            out.flush();
            slow.add(s);
        }
        Timed health = timed("GET", "/health", null);
        Timed ready = timed("GET", "/ready", null);
        Timed status = timed("GET", "/projects/down", TOKEN);
        System.out.printf("with %d slow connections: GET /health %s, GET /ready %s, GET /projects/down %s%n",
                SLOW_CLIENTS, health, ready, status);
        assertThat(health.status).as("GET /health " + health).isEqualTo(200);
        assertThat(ready.status).as("GET /ready " + ready + " (not ready: neither project's Connect answers)")
                .isEqualTo(503);
        assertThat(status.status).as("GET /projects/down " + status).isEqualTo(200);
    }

    @Test
    void longActionsDoNotDelayHealthOrAStatusRead() throws Exception {
        int before = held.size();
        for (int i = 0; i < LONG_ACTIONS; i++) {
            HTTP.sendAsync(request("POST", "/projects/stuck/soft-stop", TOKEN), HttpResponse.BodyHandlers.discarding());
        }
        // Every action that got a thread is stuck on the Connect worker that never answers.
        Awaitility.await("actions waiting on Connect").atMost(Duration.ofSeconds(10))
                .until(() -> held.size() - before >= Math.min(LONG_ACTIONS, 4));
        Timed health = timed("GET", "/health", null);
        Timed ready = timed("GET", "/ready", null);
        Timed status = timed("GET", "/projects/down", TOKEN);
        System.out.printf("with %d soft stops waiting on a hung Connect: GET /health %s, GET /ready %s, "
                + "GET /projects/down %s%n", LONG_ACTIONS, health, ready, status);
        assertThat(health.status).as("GET /health " + health).isEqualTo(200);
        assertThat(ready.status).as("GET /ready " + ready).isEqualTo(503);
        assertThat(status.status).as("GET /projects/down " + status).isEqualTo(200);
    }

    @Test
    void aScrapeAnswersFromItsSnapshotWhileAConnectHangs() throws Exception {
        Timed scrape = timed("GET", "/metrics", TOKEN);
        System.out.printf("with project stuck's Connect hung: GET /metrics %s%n", scrape);
        assertThat(scrape.status).as("GET /metrics " + scrape).isEqualTo(200);
        Awaitility.await("project down read in the background").atMost(PATIENCE).until(() -> HTTP.send(
                request("GET", "/metrics", TOKEN), HttpResponse.BodyHandlers.ofString()).body()
                .contains("tidemark_status_read_timestamp_seconds{project=\"down\"}"));
        String text = HTTP.send(request("GET", "/metrics", TOKEN), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("tidemark_project_state{project=\"down\",state=\"UNKNOWN\"} 1.0")
                .doesNotContain("tidemark_status_read_timestamp_seconds{project=\"stuck\"}");
    }

    record Timed(int status, long millis) {
        @Override
        public String toString() {
            return status < 0 ? "no answer within " + PATIENCE.toSeconds() + " s" : status + " in " + millis + " ms";
        }
    }

    private static HttpRequest request(String method, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(PATIENCE).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    private static Timed timed(String method, String path, String token) throws Exception {
        long start = System.nanoTime();
        try {
            int status = HTTP.send(request(method, path, token), HttpResponse.BodyHandlers.discarding()).statusCode();
            return new Timed(status, (System.nanoTime() - start) / 1_000_000);
        } catch (HttpTimeoutException e) {
            return new Timed(-1, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
