package io.tidemark.control.strimzi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.tidemark.control.project.ProjectException;

/**
 * How the control API authenticates to Kubernetes, as kubectl would: each kubeconfig form the managed
 * clusters use, and the pod's service account. No Kubernetes runs on the build machines: fabric8's
 * mock API server (a real HTTP server in this JVM) answers, and records what it was sent.
 */
class KubernetesCredentialsTest {

    private static final Map<String, String> NOT_IN_A_POD = Map.of();

    private KubernetesMock kubernetes;
    private HttpsServer mutualTls;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (kubernetes != null) {
            kubernetes.close();
        }
        if (mutualTls != null) {
            mutualTls.stop(0);
        }
    }

    private Path kubeconfig(String currentContext, String users) throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                current-context: %s
                contexts:
                  - name: test
                    context: {cluster: fake, user: tidemark}
                  - name: other
                    context: {cluster: elsewhere, user: someone-else}
                clusters:
                  - name: fake
                    cluster: {server: "%s"}
                  - name: elsewhere
                    cluster: {server: "http://127.0.0.1:9"}
                users:
                  - name: someone-else
                    user: {token: not-this-one}
                %s""".formatted(currentContext, kubernetes == null ? "http://127.0.0.1:9" : kubernetes.url(), users));
        return file;
    }

    private static final String TOKEN_USER = """
              - name: tidemark
                user: {token: k8s-token-42}
            """;

    /** GET of one KafkaConnector with these credentials; what the mock was sent with this header. */
    private List<RecordedRequest> get(Path kubeconfig, String context, String authorization) throws Exception {
        try (KafkaConnectors c = new KafkaConnectors(KubernetesCredentials.discover(kubeconfig, context, NOT_IN_A_POD,
                dir.resolve("no-service-account")), KubernetesMock.NAMESPACE)) {
            assertThat(c.setState("shop-sink", "running")).as("already running").isFalse();
        }
        return kubernetes.requestsWith(authorization);
    }

    private void started(boolean https) {
        kubernetes = new KubernetesMock(https);
        kubernetes.connector("shop-sink", "running");
    }

    @Test
    void aCurrentContextMissingFromTheKubeconfigIsAnErrorNotTheFirstContext() throws Exception {
        Path file = kubeconfig("prod", TOKEN_USER);
        assertThatThrownBy(() -> KubernetesCredentials.fromKubeconfig(file, null))
                .isInstanceOf(ProjectException.class)
                .hasMessageContaining("has no context 'prod' (its current-context); its contexts: [test, other]");
    }

    @Test
    void aNamedContextMissingFromTheKubeconfigIsAnError() throws Exception {
        Path file = kubeconfig("test", TOKEN_USER);
        assertThatThrownBy(() -> KubernetesCredentials.fromKubeconfig(file, "staging"))
                .isInstanceOf(ProjectException.class)
                .hasMessageContaining("has no context 'staging' (strimzi.context); its contexts: [test, other]");
    }

    @Test
    void theNamedContextIsUsedRatherThanTheCurrentOne() throws Exception {
        started(false);
        Path file = kubeconfig("other", TOKEN_USER);
        assertThat(get(file, "test", "Bearer k8s-token-42")).extracting(RecordedRequest::getPath)
                .containsExactly("/apis/kafka.strimzi.io/v1/namespaces/kafka/kafkaconnectors/shop-sink");
    }

    @Test
    void anExecCredentialPluginGivesTheToken() throws Exception {
        started(false);
        // What aws eks get-token, gke-gcloud-auth-plugin and kubelogin do: print an ExecCredential.
        Path plugin = dir.resolve("get-token.sh");
        Files.writeString(plugin, """
                #!/bin/sh
                printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",\
                "status":{"token":"exec-token-%s-%s"}}' "$1" "$CLUSTER_NAME"
                """);
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = kubeconfig("test", """
                  - name: tidemark
                    user:
                      exec:
                        apiVersion: client.authentication.k8s.io/v1
                        command: ./get-token.sh
                        args: [eu-west-1]
                        env: [{name: CLUSTER_NAME, value: shop}]
                        interactiveMode: Never
                """);
        assertThat(get(file, null, "Bearer exec-token-eu-west-1-shop")).hasSize(1);
    }

    @Test
    void anExecPluginThatGivesNoCredentialsIsAnError() throws Exception {
        Path plugin = dir.resolve("broken.sh");
        Files.writeString(plugin, "#!/bin/sh\necho 'error: SSO session expired' >&2\nexit 1\n");
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = kubeconfig("test", """
                  - name: tidemark
                    user:
                      exec: {apiVersion: client.authentication.k8s.io/v1, command: ./broken.sh}
                """);
        assertThatThrownBy(() -> KubernetesCredentials.fromKubeconfig(file, null))
                .isInstanceOf(ProjectException.class)
                .hasMessageContaining("user 'tidemark' of context 'test' gives no credentials")
                .hasMessageContaining("its exec plugin './broken.sh' gave none");
    }

    @Test
    void aTokenFileIsReadForEachRequest() throws Exception {
        started(false);
        Files.writeString(dir.resolve("token"), "file-token-1\n");
        Path file = kubeconfig("test", """
                  - name: tidemark
                    user: {tokenFile: token}
                """);
        assertThat(get(file, null, "Bearer file-token-1")).hasSize(1);
    }

    @Test
    void aClientCertificateAuthenticatesTheControlApi() throws Exception {
        // fabric8's mock server cannot demand a client certificate (its TLS client auth is fixed to none),
        // so the JDK's HTTPS server stands in here: it refuses any handshake without a certificate its
        // test CA signed, and answers the GET as the API server would.
        TestCertificates.Issued ca = TestCertificates.authority("test-kubernetes-ca");
        TestCertificates.Issued server = TestCertificates.issue(ca, "kube-apiserver");
        TestCertificates.Issued client = TestCertificates.issue(ca, "tidemark-control-api");
        List<String> peers = new CopyOnWriteArrayList<>();
        mutualTls = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mutualTls.setHttpsConfigurator(new HttpsConfigurator(server.serverContext(ca)) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        mutualTls.createContext("/apis/kafka.strimzi.io/v1/namespaces/kafka/kafkaconnectors/shop-sink", ex -> {
            peers.add(((HttpsExchange) ex).getSSLSession().getPeerPrincipal().getName() + " "
                    + ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ("{\"apiVersion\":\"kafka.strimzi.io/v1\",\"kind\":\"KafkaConnector\",\"metadata\":"
                    + "{\"name\":\"shop-sink\",\"namespace\":\"kafka\"},\"spec\":{\"state\":\"paused\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        mutualTls.start();
        Base64.Encoder b64 = Base64.getEncoder();
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                current-context: admin@cluster
                contexts:
                  - name: admin@cluster
                    context: {cluster: cluster, user: tidemark}
                clusters:
                  - name: cluster
                    cluster: {server: "https://127.0.0.1:%d", certificate-authority-data: %s}
                users:
                  - name: tidemark
                    user: {client-certificate-data: %s, client-key-data: %s}
                """.formatted(mutualTls.getAddress().getPort(), b64.encodeToString(ca.certificatePem().getBytes()),
                b64.encodeToString(client.certificatePem().getBytes()), b64.encodeToString(client.keyPem().getBytes())));
        try (KafkaConnectors c = new KafkaConnectors(KubernetesCredentials.fromKubeconfig(file, null),
                KubernetesMock.NAMESPACE)) {
            assertThat(c.setState("shop-sink", "paused")).as("already paused").isFalse();
        }
        assertThat(peers).containsExactly("CN=tidemark-control-api GET null");
    }

    @Test
    void theServiceAccountTokenIsReadAgainAfterTheKubeletRotatesIt() throws Exception {
        started(true);
        Path sa = Files.createDirectories(dir.resolve("serviceaccount"));
        Files.copy(kubernetes.certificate(), sa.resolve("ca.crt"));
        Files.writeString(sa.resolve("token"), "bound-token-1");
        try (KafkaConnectors c = new KafkaConnectors(KubernetesCredentials.discover(null, null,
                Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT",
                        String.valueOf(kubernetes.port())), sa), KubernetesMock.NAMESPACE)) {
            c.setState("shop-sink", "running");
            Files.writeString(sa.resolve("token"), "bound-token-2");
            c.setState("shop-sink", "running");
        }
        assertThat(kubernetes.requestsWith("Bearer bound-token-1")).hasSize(1);
        assertThat(kubernetes.requestsWith("Bearer bound-token-2")).hasSize(1);
    }

    @Test
    void withoutKubeconfigOrServiceAccountThereAreNoCredentials() {
        assertThat(KubernetesCredentials.discover(null, null, Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"),
                dir.resolve("no-service-account"))).isNull();
    }
}
