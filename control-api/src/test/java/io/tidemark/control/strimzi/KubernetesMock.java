package io.tidemark.control.strimzi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * No Kubernetes can run on the build machines: fabric8's mock API server stands in for it, a real
 * HTTP(S) server in this JVM that keeps the resources it is sent (CRUD mode), answers GET and merge
 * patches as the API server does, and records every request. The test's own admin client sends no
 * Authorization header, so the control API's requests are told apart by theirs.
 */
final class KubernetesMock implements AutoCloseable {

    static final String NAMESPACE = "kafka";

    private final MockWebServer web = new MockWebServer();
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient admin;
    private final List<RecordedRequest> seen = new ArrayList<>();

    KubernetesMock(boolean https) {
        CustomResourceDefinitionContext crd = new CustomResourceDefinitionContext.Builder().withGroup("kafka.strimzi.io")
                .withVersion("v1").withPlural("kafkaconnectors").withKind("KafkaConnector").withScope("Namespaced").build();
        server = new KubernetesMockServer(new Context(), web, new HashMap<>(), new KubernetesCrudDispatcher(List.of(crd)),
                https);
        server.init();
        admin = server.createClient();
    }

    /** The API server's URL by IP address, as a kubeconfig names it. */
    String url() {
        return (web.getSelfSignedCertificate() != null ? "https" : "http") + "://127.0.0.1:" + server.getPort();
    }

    int port() {
        return server.getPort();
    }

    /** The PEM of the server's self-signed certificate (HTTPS only): the CA a client must trust. */
    Path certificate() {
        return Path.of(web.getSelfSignedCertificate().certificatePath());
    }

    void connector(String name, String state) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder().withApiVersion("kafka.strimzi.io/v1")
                .withKind("KafkaConnector").withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .addToLabels("strimzi.io/cluster", "tidemark").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("class", "io.tidemark.sink.PostgresSinkConnector",
                        "tasksMax", 1, "state", state)))
                .build();
        admin.genericKubernetesResources(KafkaConnectors.KAFKA_CONNECTOR).inNamespace(NAMESPACE).resource(r).create();
    }

    /** What the operator would read: the resource's spec.state now. */
    String state(String name) {
        GenericKubernetesResource r = admin.genericKubernetesResources(KafkaConnectors.KAFKA_CONNECTOR)
                .inNamespace(NAMESPACE).withName(name).get();
        return r == null ? null : String.valueOf((Object) r.get("spec", "state"));
    }

    /** The requests that carried this Authorization header, in order. */
    synchronized List<RecordedRequest> requestsWith(String authorization) throws InterruptedException {
        for (RecordedRequest r; (r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null; ) {
            seen.add(r);
        }
        return seen.stream().filter(r -> authorization.equals(r.getHeader("Authorization"))).toList();
    }

    @Override
    public void close() {
        admin.close();
        server.destroy();
    }
}
