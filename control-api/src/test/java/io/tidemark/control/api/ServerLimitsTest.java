package io.tidemark.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.actions.ActionResult;
import io.tidemark.control.auth.BearerTokens;
import io.tidemark.control.auth.Scope;

/**
 * The server's bounds, each with small limits so that it shows at once: an idle connection is
 * closed, a read past the request timeout answers 504, a body past the limit 413, and an action
 * beyond the number allowed 429 while the others run.
 */
class ServerLimitsTest {

    private static final String TOKEN = "test-token-0123456789abcdef";
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final CountDownLatch RUNNING = new CountDownLatch(1);
    private static ControlServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        ProjectServices p = ProjectServices.of(TestProjects.project("shop", URI.create("http://127.0.0.1:1"), null),
                Map.of());
        ServerLimits small = new ServerLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), 1024, 8 * 1024, 2, 1);
        Routes.Family slow = routes -> {
            routes.read("GET", "/slow-read", Scope.READ, x -> {
                Thread.sleep(10_000);
                x.json(200, Map.of());
            });
            routes.action("POST", "/jobs/wait", Scope.OPERATE, x -> ProgressAnswer.respond(x, progress -> {
                RUNNING.countDown();
                try {
                    RELEASE.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new ActionResult("wait", "none", null, true, "released", List.of(), List.of());
            }));
        };
        server = new ControlServer(new ControlServer.Settings(new InetSocketAddress("127.0.0.1", 0), null, small),
                Map.of("shop", p), BearerTokens.of(List.of("ops admin " + TOKEN)), List.of(slow));
        server.start();
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        server.close();
    }

    private static HttpRequest.Builder request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (Socket idle = new Socket("127.0.0.1", server.port())) {
            idle.setSoTimeout(10_000);
            long start = System.nanoTime();
            try (InputStream in = idle.getInputStream()) {
                assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
            }
            System.out.printf("an idle connection was closed after %d ms (idle timeout 1 s)%n",
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    void aReadPastTheRequestTimeoutIs504() throws Exception {
        HttpResponse<String> r = HTTP.send(request("GET", "/slow-read", null).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("took longer than 1 s");
    }

    @Test
    void aBodyPastTheLimitIs413() throws Exception {
        HttpResponse<String> r = HTTP.send(request("POST", "/projects/shop/pause", "{\"waitSeconds\": 1, \"x\": \""
                + "a".repeat(4096) + "\"}").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("larger than 1024 bytes");
    }

    @Test
    void anActionBeyondTheNumberAllowedIs429() throws Exception {
        CompletableFuture<HttpResponse<String>> first = HTTP.sendAsync(request("POST", "/jobs/wait", null).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(RUNNING.await(10, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> second = HTTP.send(request("POST", "/jobs/wait", null).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).isPresent();
        assertThat(HTTP.send(request("GET", "/health", null).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        RELEASE.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
