/**
 * The sink's configuration: {@link io.tidemark.sink.config.PostgresSinkConfig} defines every key
 * (and lists the keys no longer read), and {@link io.tidemark.sink.config.ConfigDocs} renders the
 * reference in docs/sink.md from it.
 */
package io.tidemark.sink.config;
