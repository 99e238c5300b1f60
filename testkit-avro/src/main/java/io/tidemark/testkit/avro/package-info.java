/**
 * Avro in tests and the benchmark: Apicurio's AvroConverter in the Confluent wire format, with
 * {@link io.tidemark.testkit.avro.InMemorySchemaResolver} standing in for the registry server that
 * cannot run on the build machines. This module's component ZIP is the converter's plugin directory.
 */
package io.tidemark.testkit.avro;
