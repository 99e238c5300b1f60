package io.tidemark.control.strimzi;

import io.tidemark.control.ControlException;
import io.tidemark.control.connect.ConnectorLifecycle;
import io.tidemark.control.project.StrimziSettings;

/**
 * Connectors owned by Strimzi: the Cluster Operator reverts lifecycle changes made through Connect's
 * REST API, so the state is changed where the operator reads it, the {@code KafkaConnector}'s
 * {@code spec.state}: read, then patched unless it already says so. Without Kubernetes credentials
 * the action is refused with the exact command.
 */
public final class StrimziLifecycle implements ConnectorLifecycle {

    private final StrimziSettings settings;
    private final KafkaConnectors connectors;

    /** @param connectors null when no credentials were found */
    public StrimziLifecycle(StrimziSettings settings, KafkaConnectors connectors) {
        this.settings = settings;
        this.connectors = connectors;
    }

    /** The merge patch that sets the state, exactly as it is sent (and as kubectl takes it). */
    public static String patch(Target target) {
        return KafkaConnectors.statePatch(target.strimziState);
    }

    public String kubectl(String connector, Target target) {
        return "kubectl patch kafkaconnector " + connector + " -n " + settings.namespace() + " --type merge -p '"
                + patch(target) + "'";
    }

    @Override
    public void request(String connector, String current, Target target) {
        if (connectors == null) {
            throw ControlException.refused("connector " + connector + " is a Strimzi KafkaConnector and the control API "
                    + "has no Kubernetes credentials (strimzi.kubeconfig, or a service account): the operator would "
                    + "revert a REST call. Run: " + kubectl(connector, target) + " (or set spec.state: "
                    + target.strimziState + " in the resource in Git)");
        }
        // Patching the value it has would change nothing, yet show as a change to a GitOps tool.
        connectors.setState(connector, target.strimziState);
    }

    @Override
    public void close() {
        if (connectors != null) {
            connectors.close();
        }
    }

    @Override
    public boolean createsConnectors() {
        return false;
    }

    @Override
    public String ownerAdvice(String verb, String connector) {
        return "connector " + connector + " is a Strimzi KafkaConnector: " + switch (verb) {
            case "create" -> "apply its resource (kubectl apply -f <its KafkaConnector YAML> -n " + settings.namespace()
                    + "), or let your GitOps tool do it";
            case "delete" -> "delete its resource (kubectl delete kafkaconnector " + connector + " -n "
                    + settings.namespace() + ") and remove it from Git";
            default -> verb + " it through its resource";
        };
    }
}
