/** Kafka Connect's REST API as the control API uses it: status, lifecycle, configs, validation. */
package io.tidemark.control.connect;
