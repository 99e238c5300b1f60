package io.tidemark.control.strimzi;

import java.util.Map;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.tidemark.control.ControlException;
import io.tidemark.control.project.ProjectException;
import io.tidemark.control.project.StrimziSettings;

/**
 * Strimzi's {@code KafkaConnector} resources of one namespace, read and patched through fabric8's
 * client: a GET and a JSON merge patch of {@code spec.state}, all that the Role in
 * {@code config/kubernetes/control-api} allows. The resource is described in full here, so fabric8
 * sends no discovery request. Failures become {@link ControlException}s that say what to fix.
 */
public final class KafkaConnectors implements AutoCloseable {

    static final ResourceDefinitionContext KAFKA_CONNECTOR = new ResourceDefinitionContext.Builder()
            .withGroup("kafka.strimzi.io").withVersion("v1").withPlural("kafkaconnectors").withKind("KafkaConnector")
            .withNamespaced(true).build();

    private final KubernetesClient client;
    private final String namespace;

    /** The JDK's HttpClient as transport, not whichever fabric8 finds on the class path. */
    public KafkaConnectors(Config config, String namespace) {
        config.setConnectionTimeout(10_000);
        config.setRequestTimeout(30_000);
        // A merge patch of spec.state is idempotent, but an action should not wait through ten retries.
        config.setRequestRetryBackoffLimit(2);
        try {
            this.client = new KubernetesClientBuilder().withConfig(config)
                    .withHttpClientFactory(new JdkHttpClientFactory()).build();
        } catch (KubernetesClientException e) {
            // A CA or client key fabric8 cannot read: the project cannot act on its connectors.
            throw new ProjectException("the Kubernetes client for " + config.getMasterUrl() + " cannot be set up: "
                    + e.getMessage());
        }
        this.namespace = namespace;
    }

    /** The connectors of the project's namespace, or null when no credentials were found. */
    public static KafkaConnectors discover(StrimziSettings settings, Map<String, String> env) {
        Config config = KubernetesCredentials.discover(settings, env);
        return config == null ? null : new KafkaConnectors(config, settings.namespace());
    }

    /**
     * Sets {@code spec.state} with a JSON merge patch unless the resource already says it: one GET,
     * then at most one PATCH (fabric8 would GET again before a patch of a resource it has not read).
     *
     * @return whether the resource was patched
     */
    public boolean setState(String connector, String state) {
        GenericKubernetesResource r = call("GET", connector, () -> resource(connector).get());
        if (r == null) {
            throw ControlException.notFound("there is no KafkaConnector " + connector + " in namespace " + namespace
                    + " (GET " + path(connector) + " answered 404): apply its resource, or check strimzi.namespace");
        }
        if (state.equals(r.get("spec", "state"))) {
            return false;
        }
        call("PATCH", connector, () -> client.genericKubernetesResources(KAFKA_CONNECTOR).inNamespace(namespace)
                .resource(r).patch(PatchContext.of(PatchType.JSON_MERGE), statePatch(state)));
        return true;
    }

    /** The merge patch that sets the state, exactly as it is sent (and as kubectl takes it). */
    public static String statePatch(String state) {
        return "{\"spec\":{\"state\":\"" + state + "\"}}";
    }

    private Resource<GenericKubernetesResource> resource(String connector) {
        return client.genericKubernetesResources(KAFKA_CONNECTOR).inNamespace(namespace).withName(connector);
    }

    private <T> T call(String method, String connector, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            String what = method + " " + path(connector);
            String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                    : e.getMessage();
            throw switch (e.getCode()) {
                case 0 -> new ControlException(ControlException.Kind.UNAVAILABLE, what + " at "
                        + client.getMasterUrl() + " failed: " + reason + (method.equals("PATCH") ? "" : "; nothing was changed"), e);
                case 401, 403 -> new ControlException(ControlException.Kind.UPSTREAM, what + " answered " + e.getCode()
                        + ": " + reason + ". The control API's Kubernetes identity needs get and patch on "
                        + "kafkaconnectors.kafka.strimzi.io in namespace " + namespace
                        + " (config/kubernetes/control-api/role.yaml)", e);
                case 404 -> ControlException.notFound(what + " answered 404: " + reason);
                default -> new ControlException(ControlException.Kind.UPSTREAM, what + " answered " + e.getCode() + ": "
                        + reason, e);
            };
        }
    }

    private String path(String connector) {
        return "/apis/" + KAFKA_CONNECTOR.getGroup() + "/" + KAFKA_CONNECTOR.getVersion() + "/namespaces/" + namespace
                + "/" + KAFKA_CONNECTOR.getPlural() + "/" + connector;
    }

    @Override
    public void close() {
        client.close();
    }
}
