/**
 * Connectors owned by Strimzi ({@code KafkaConnector} resources): lifecycle through {@code spec.state},
 * read and merge-patched with fabric8's Kubernetes client under the project's kubeconfig or the pod's
 * service account, or a refusal that gives the {@code kubectl} command.
 */
package io.tidemark.control.strimzi;
