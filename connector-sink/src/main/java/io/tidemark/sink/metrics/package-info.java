/** The sink task's figures as Connect plugin metrics, for the worker's JMX and metrics reporters. */
package io.tidemark.sink.metrics;
