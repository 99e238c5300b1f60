/**
 * The control API and CLI: Start, Pause, Soft stop and Stop for a project and a table, status,
 * precheck, audit, metrics (docs/control-api.md). Sub-packages by job: {@code project} (the files and
 * their secrets), {@code connect} (Connect's REST API), {@code strimzi} (KafkaConnector resources),
 * {@code store} (the control schema), {@code source} (the source's request table), {@code actions},
 * {@code status}, {@code metrics}, {@code auth} (tokens and scopes), {@code audit}, {@code api}
 * (HTTP: the server and its route families in {@code api.routes}), {@code cli}.
 */
package io.tidemark.control;
