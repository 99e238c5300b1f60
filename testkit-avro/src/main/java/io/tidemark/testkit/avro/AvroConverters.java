package io.tidemark.testkit.avro;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.storage.Converter;

import io.apicurio.registry.utils.converter.AvroConverter;

/**
 * Apicurio's {@code AvroConverter} as the tests and the benchmark run it: the Confluent wire format
 * (no id headers, a 4-byte content id after the magic byte), schemas registered as they come, and
 * the {@link InMemorySchemaResolver} where a deployment names its registry's URL.
 */
public final class AvroConverters {

    public static final String CONVERTER_CLASS = "io.apicurio.registry.utils.converter.AvroConverter";

    private AvroConverters() {
    }

    /** The converter's own settings, without the {@code key.converter.}/{@code value.converter.} prefix. */
    public static Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("apicurio.registry.headers.enabled", "false");
        s.put("apicurio.registry.as-confluent", "true");
        s.put("apicurio.registry.use-id", "contentId");
        // The id handler as-confluent installs anyway; naming it spares a WARN per converter ("Duplicate id-handler").
        s.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler");
        s.put("apicurio.registry.auto-register", "true");
        // Stands in for apicurio.registry.url: no registry server can run on the build machines.
        s.put("apicurio.registry.schema-resolver", InMemorySchemaResolver.class.getName());
        return s;
    }

    /** Connector configuration for Avro keys and values (converter classes and their settings). */
    public static Map<String, String> connectorConfig() {
        Map<String, String> c = new HashMap<>();
        for (String side : new String[] {"key.converter", "value.converter"}) {
            c.put(side, CONVERTER_CLASS);
            settings().forEach((k, v) -> c.put(side + "." + k, v));
        }
        return c;
    }

    /** A configured converter in this class loader, as a test writes or reads records with it. */
    public static Converter converter(boolean isKey) {
        AvroConverter<Object> converter = new AvroConverter<>();
        converter.configure(new HashMap<>(settings()), isKey);
        return converter;
    }
}
