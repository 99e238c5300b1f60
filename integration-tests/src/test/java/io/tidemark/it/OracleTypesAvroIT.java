package io.tidemark.it;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.EmbeddedPipeline;
import io.tidemark.testkit.avro.AvroConverters;

/**
 * {@link OracleTypesCase} through Apicurio's AvroConverter in the Confluent wire format: every
 * type arrives exactly, BINARY_FLOAT/BINARY_DOUBLE NaN, ±Infinity and -0.0 included. The worker
 * loads the converter from its own plugin directory (testkit-avro's ZIP, Jackson at Kafka's
 * version); the test writes the events with the same converter class from its own class path.
 *
 * <p>No schema registry runs here (none can on the build machines): both sides resolve schemas
 * through {@code InMemorySchemaResolver}, which keeps them in this JVM's memory and hands out the
 * ids a registry would. Only where the ids come from differs from a deployment with a registry.
 */
class OracleTypesAvroIT extends OracleTypesCase {

    @RegisterExtension
    static final EmbeddedPipeline PIPELINE = EmbeddedPipeline.named("oracle-types-avro")
            .cluster(c -> c.withAvroConverterPlugin());

    @Override
    EmbeddedPipeline pipeline() {
        return PIPELINE;
    }

    @Override
    DebeziumEvents events(String prefix, String schema, String table, Schema key, Schema row) {
        return new DebeziumEvents(prefix, schema, table, key, row, AvroConverters.converter(true), AvroConverters.converter(false));
    }

    @Override
    Map<String, String> sinkConverters() {
        return AvroConverters.connectorConfig();
    }

    @Override
    List<String> nonFiniteFloatsArrivingAs() {
        return List.of("NaN", "Infinity", "-Infinity", "-0");
    }
}
