/** The sink's configuration: every key defined once in {@code PostgresSinkConfig}, with validators, recommenders and the generated reference; the keys no longer read are listed there too. */
package io.tidemark.sink.config;
