package io.tidemark.control.project;

import java.nio.file.Path;

/**
 * The connectors are Strimzi {@code KafkaConnector} resources in this namespace (named as the
 * connectors). Credentials: the kubeconfig given, else the pod's service account when running in a
 * cluster, else none (actions are refused with the {@code kubectl} command to run).
 */
public record StrimziSettings(String namespace, Path kubeconfig) {
}
