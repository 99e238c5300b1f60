/** A project's status, from Connect and the control schema, and the lag from Kafka. */
package io.tidemark.control.status;
