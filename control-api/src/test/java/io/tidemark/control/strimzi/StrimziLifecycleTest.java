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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.ControlServer;
import io.tidemark.control.api.TestProjects;
import io.tidemark.control.auth.BearerTokens;
import io.tidemark.control.connect.ConnectorLifecycle;
import io.tidemark.control.project.StrimziSettings;

/**
 * Connectors owned by Strimzi: a pause goes to the KafkaConnector's spec.state, not to Connect's REST
 * API, through the control API's own action path. No Kubernetes runs on the build machines: fabric8's
 * mock API server keeps the two KafkaConnectors; a fake Connect reports, as the operator would bring
 * about, the state each resource says.
 */
class StrimziLifecycleTest {

    private static final String TOKEN = "api-token-0123456789abcdef";
    private static final String K8S_TOKEN = "Bearer k8s-token-42";
    private static final String PATH = "/apis/kafka.strimzi.io/v1/namespaces/kafka/kafkaconnectors/";

    private final List<String> connectCalls = new CopyOnWriteArrayList<>();
    private KubernetesMock kubernetes;
    private HttpServer connect;
    private ControlServer api;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        kubernetes = new KubernetesMock(false);
        connect = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        connect.createContext("/connectors/", ex -> {
            connectCalls.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            String name = ex.getRequestURI().getPath().split("/")[2];
            String spec = kubernetes.state(name);
            String state = spec == null ? "UNASSIGNED" : spec.toUpperCase(Locale.ROOT);
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
        kubernetes.close();
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

    private Path kubeconfig() throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                current-context: test
                contexts:
                  - name: test
                    context: {cluster: mock, user: tidemark}
                clusters:
                  - name: mock
                    cluster: {server: "%s"}
                users:
                  - name: tidemark
                    user: {token: k8s-token-42}
                """.formatted(kubernetes.url()));
        return file;
    }

    /** The body is the mock's once it has applied it: the resource's state after the action shows it. */
    private static String line(RecordedRequest r) {
        return r.getMethod() + " " + r.getPath() + (r.getMethod().equals("PATCH") ? " " + r.getHeader("Content-Type") : "");
    }

    /** Pauses the project whose two KafkaConnectors say these states; what Kubernetes was sent. */
    private List<String> pauseFrom(String sourceState, String sinkState) throws Exception {
        kubernetes.connector("shop-source", sourceState);
        kubernetes.connector("shop-sink", sinkState);
        HttpResponse<String> r = pause(kubeconfig());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("KafkaConnector spec.state: paused", "project shop PAUSED");
        return kubernetes.requestsWith(K8S_TOKEN).stream().map(StrimziLifecycleTest::line).toList();
    }

    @Test
    void pauseReadsThenPatchesSpecStateOfBothKafkaConnectorsAndNotConnect() throws Exception {
        assertThat(pauseFrom("running", "running")).containsExactly(
                "GET " + PATH + "shop-source",
                "PATCH " + PATH + "shop-source application/merge-patch+json",
                "GET " + PATH + "shop-sink",
                "PATCH " + PATH + "shop-sink application/merge-patch+json");
        assertThat(kubernetes.state("shop-source")).isEqualTo("paused");
        assertThat(kubernetes.state("shop-sink")).isEqualTo("paused");
        assertThat(connectCalls).as("Connect is only read").allMatch(c -> c.startsWith("GET ") && c.endsWith("/status"));
    }

    @Test
    void aConnectorAlreadyPausedIsNeitherReadNorPatched() throws Exception {
        assertThat(pauseFrom("paused", "running")).containsExactly(
                "GET " + PATH + "shop-sink",
                "PATCH " + PATH + "shop-sink application/merge-patch+json");
    }

    @Test
    void aMissingKafkaConnectorIsNamedWithItsNamespace() throws Exception {
        kubernetes.connector("shop-source", "running");
        HttpResponse<String> r = pause(kubeconfig());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).contains("there is no KafkaConnector shop-sink in namespace kafka");
    }

    @Test
    void withoutCredentialsTheActionIsRefusedWithTheKubectlCommand() throws Exception {
        HttpResponse<String> r = pause(null);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("kubectl patch kafkaconnector shop-source -n kafka --type merge -p "
                + "'{\\\"spec\\\":{\\\"state\\\":\\\"paused\\\"}}'");
        assertThat(kubernetes.requestsWith(K8S_TOKEN)).isEmpty();
        assertThat(StrimziLifecycle.patch(ConnectorLifecycle.Target.STOPPED)).isEqualTo("{\"spec\":{\"state\":\"stopped\"}}");
    }
}
