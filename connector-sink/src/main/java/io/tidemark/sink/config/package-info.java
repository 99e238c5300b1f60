/** The sink's configuration: every key defined once in {@code PostgresSinkConfig}, with validators, recommenders and the generated reference. */
package io.tidemark.sink.config;
