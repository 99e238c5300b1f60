package io.tidemark.control.strimzi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.auth.BearerTokens;
import io.tidemark.control.api.ControlServer;
import io.tidemark.control.api.TestProjects;
import io.tidemark.control.project.StrimziSettings;

/**
 * Connectors owned by Strimzi: a pause goes to the KafkaConnector's spec.state, not to Connect's
 * REST API. A fake Kubernetes API server records the PATCH; a fake Connect reports the state the
 * operator would bring about once the resource changed.
 */
class StrimziLifecycleTest {

    record Patch(String method, String path, String contentType, String authorization, String body) {
    }

    private static final String TOKEN = "api-token-0123456789abcdef";
    private final List<Patch> patches = new CopyOnWriteArrayList<>();
    private final List<String> connectCalls = new CopyOnWriteArrayList<>();
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private HttpServer kubernetes;
    private HttpServer connect;
    private ControlServer api;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        kubernetes = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        kubernetes.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            patches.add(new Patch(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestHeaders().getFirst("Authorization"), body));
            String name = ex.getRequestURI().getPath().substring(ex.getRequestURI().getPath().lastIndexOf('/') + 1);
            states.put(name, body.contains("paused") ? "PAUSED" : body.contains("stopped") ? "STOPPED" : "RUNNING");
            byte[] answer = "{\"kind\":\"KafkaConnector\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        kubernetes.start();
        connect = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        connect.createContext("/connectors/", ex -> {
            connectCalls.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            String name = ex.getRequestURI().getPath().split("/")[2];
            String state = states.getOrDefault(name, "RUNNING");
            String tasks = state.equals("STOPPED") ? "[]" : "[{\"id\":0,\"state\":\"" + state + "\",\"worker_id\":\"w\"}]";
            byte[] answer = ("{\"name\":\"" + name + "\",\"connector\":{\"state\":\"" + state
                    + "\",\"worker_id\":\"w\"},\"tasks\":" + tasks + "}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        connect.start();
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        kubernetes.stop(0);
        connect.stop(0);
    }

    private HttpResponse<String> pause(Path kubeconfig) throws Exception {
        ProjectServices p = ProjectServices.of(TestProjects.project("shop", URI.create("http://127.0.0.1:"
                + connect.getAddress().getPort()), new StrimziSettings("kafka", kubeconfig)), Map.of());
        api = new ControlServer(new InetSocketAddress("127.0.0.1", 0), Map.of("shop", p), BearerTokens.of(List.of(TOKEN)));
        api.start();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                        + "/projects/shop/pause")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pausePatchesSpecStateOfBothKafkaConnectorsAndNotConnect() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                current-context: test
                contexts:
                  - name: test
                    context: {cluster: fake, user: tidemark}
                clusters:
                  - name: fake
                    cluster: {server: "http://127.0.0.1:%d"}
                users:
                  - name: tidemark
                    user: {token: k8s-token-42}
                """.formatted(kubernetes.getAddress().getPort()));
        HttpResponse<String> r = pause(kubeconfig);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(patches).containsExactly(
                new Patch("PATCH", "/apis/kafka.strimzi.io/v1/namespaces/kafka/kafkaconnectors/shop-source",
                        "application/merge-patch+json", "Bearer k8s-token-42", "{\"spec\":{\"state\":\"paused\"}}"),
                new Patch("PATCH", "/apis/kafka.strimzi.io/v1/namespaces/kafka/kafkaconnectors/shop-sink",
                        "application/merge-patch+json", "Bearer k8s-token-42", "{\"spec\":{\"state\":\"paused\"}}"));
        assertThat(connectCalls).as("Connect is only read").allMatch(c -> c.startsWith("GET ") && c.endsWith("/status"));
        assertThat(r.body()).contains("KafkaConnector spec.state: paused", "project shop PAUSED");
    }

    @Test
    void withoutCredentialsTheActionIsRefusedWithTheKubectlCommand() throws Exception {
        HttpResponse<String> r = pause(null);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("kubectl patch kafkaconnector shop-source -n kafka --type merge -p "
                + "'{\\\"spec\\\":{\\\"state\\\":\\\"paused\\\"}}'");
        assertThat(patches).isEmpty();
        assertThat(StrimziLifecycle.patch(io.tidemark.control.connect.ConnectorLifecycle.Target.STOPPED))
                .isEqualTo("{\"spec\":{\"state\":\"stopped\"}}");
    }
}
