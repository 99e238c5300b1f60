/**
 * Connectors owned by Strimzi ({@code KafkaConnector} resources): lifecycle through {@code spec.state}
 * with a merge patch on the Kubernetes API, or a refusal that gives the {@code kubectl} command.
 */
package io.tidemark.control.strimzi;
