/**
 * The plugin archives as they are shipped: unzipped into one plugin.path exactly as the Docker image
 * unzips them, beside a plain Debezium plugin, on a worker that discovers plugins the way the shipped
 * worker file says ({@code plugin.discovery=service_load}).
 */
package io.tidemark.it.layout;
