package io.tidemark.bench;

import java.util.Map;

import io.tidemark.testkit.DebeziumEvents;
import io.tidemark.testkit.avro.AvroConverters;

/**
 * How the benchmark's events are serialised, and how every contender's worker reads them: the same
 * converter for the topic's writer and for all three contenders.
 */
enum BenchConverter {

    /** Connect's JsonConverter with schemas: about 8 KB of JSON a record, most of it schema. */
    JSON {
        @Override
        Map<String, String> connectorConfig() {
            return DebeziumEvents.sinkConverterConfig();
        }

        @Override
        DebeziumEvents events(String table, BenchTable t) {
            return new DebeziumEvents("ora", "BENCH", table, t.keySchema, t.rowSchema);
        }
    },

    /**
     * Apicurio's AvroConverter in the Confluent wire format, loaded by the worker from its own plugin
     * directory; schemas in the in-memory stand-in for a registry (testkit-avro), ids as a registry
     * would give them.
     */
    AVRO {
        @Override
        Map<String, String> connectorConfig() {
            return AvroConverters.connectorConfig();
        }

        @Override
        DebeziumEvents events(String table, BenchTable t) {
            return new DebeziumEvents("ora", "BENCH", table, t.keySchema, t.rowSchema,
                    AvroConverters.converter(true), AvroConverters.converter(false));
        }

        @Override
        String topicSuffix() {
            return "_AVRO";
        }
    };

    /** The key and value converter settings of a connector that reads such topics. */
    abstract Map<String, String> connectorConfig();

    /** A writer of such events (one per producing thread: converters keep state). */
    abstract DebeziumEvents events(String table, BenchTable t);

    /** Its topics are named apart, so that each is a table of its own in the targets. */
    String topicSuffix() {
        return "";
    }

    String label() {
        return name().toLowerCase();
    }

}
