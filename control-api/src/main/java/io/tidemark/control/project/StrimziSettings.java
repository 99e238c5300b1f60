package io.tidemark.control.project;

import java.nio.file.Path;

/**
 * The connectors are Strimzi {@code KafkaConnector} resources in this namespace (named as the
 * connectors). Credentials: the kubeconfig given (its context named here, else its current context),
 * else the pod's service account when running in a cluster, else none (actions are refused with the
 * {@code kubectl} command to run).
 *
 * @param context null for the kubeconfig's current context
 */
public record StrimziSettings(String namespace, Path kubeconfig, String context) {

    public StrimziSettings(String namespace, Path kubeconfig) {
        this(namespace, kubeconfig, null);
    }
}
