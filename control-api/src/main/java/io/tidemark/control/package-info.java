/**
 * The control API and CLI: Start, Pause, Soft stop and Stop for a project and a table, status,
 * precheck, metrics (docs/control-api.md). Sub-packages by job: {@code project} (the files),
 * {@code connect} (Connect's REST API), {@code strimzi} (KafkaConnector resources), {@code target}
 * (the control schema), {@code actions}, {@code status}, {@code metrics}, {@code api} (HTTP),
 * {@code cli}.
 */
package io.tidemark.control;
