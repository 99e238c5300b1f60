package io.tidemark.testkit.avro;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.apicurio.registry.resolver.ParsedSchema;
import io.apicurio.registry.resolver.ParsedSchemaImpl;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.SchemaResolver;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.resolver.strategy.ArtifactReferenceResolverStrategy;
import io.apicurio.registry.rest.client.RegistryClient;
import io.tidemark.testkit.InMemorySchemaRegistry;

/**
 * A stand-in for Apicurio Registry in tests, where no registry server can run: Apicurio's
 * serializers ask it (through {@code apicurio.registry.schema-resolver}) instead of a registry, and
 * it keeps the schemas in {@link InMemorySchemaRegistry}, content-addressed: each distinct schema
 * gets one id, used as both content id and global id. What goes over Kafka is exactly what a real
 * registry would give (Confluent wire format: magic byte 0, a 4-byte id, plain Avro); only where
 * the id comes from differs. Artifact names, versions and compatibility rules do not exist here.
 *
 * <p>Schemas are taken dereferenced ({@code getSchemaFromData(data, true)}): each record schema is
 * one self-contained text, nested records inline; otherwise nested records would need references
 * to be registered and fail with "Undefined schema".
 */
public final class InMemorySchemaResolver<S, T> implements SchemaResolver<S, T> {

    private SchemaParser<S, T> parser;
    /** Per instance, so every record of one schema shares one parsed schema (the converters cache by it). */
    private final Map<Integer, SchemaLookupResult<S>> byId = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs, SchemaParser<S, T> schemaParser) {
        this.parser = schemaParser;
    }

    @Override
    public void setClient(RegistryClient client) {
        // no registry to talk to
    }

    @Override
    public void setArtifactResolverStrategy(ArtifactReferenceResolverStrategy<S, T> strategy) {
        // content-addressed: no artifacts to name
    }

    @Override
    public SchemaParser<S, T> getSchemaParser() {
        return parser;
    }

    @Override
    public SchemaLookupResult<S> resolveSchema(Record<T> data) {
        ParsedSchema<S> schema = parser.getSchemaFromData(data, true);
        int id = InMemorySchemaRegistry.register(new String(schema.getRawSchema(), StandardCharsets.UTF_8));
        return byId.computeIfAbsent(id, i -> result(i, schema));
    }

    @Override
    public SchemaLookupResult<S> resolveSchemaByArtifactReference(ArtifactReference reference) {
        Long id = reference.getContentId() != null ? reference.getContentId() : reference.getGlobalId();
        if (id == null) {
            throw new IllegalArgumentException("the in-memory registry finds schemas by id only, not by " + reference
                    + ": configure apicurio.registry.use-id=contentId (or globalId)");
        }
        SchemaLookupResult<S> known = byId.get(id.intValue()); // every record asks: as cheap as a registry client's cache
        if (known != null) {
            return known;
        }
        return byId.computeIfAbsent(id.intValue(), i -> {
            byte[] raw = InMemorySchemaRegistry.schema(i).getBytes(StandardCharsets.UTF_8);
            return result(i, new ParsedSchemaImpl<S>().setParsedSchema(parser.parseSchema(raw, Map.of())).setRawSchema(raw));
        });
    }

    private static <S> SchemaLookupResult<S> result(int id, ParsedSchema<S> schema) {
        return SchemaLookupResult.<S>builder().contentId(id).globalId(id).parsedSchema(schema).build();
    }

    @Override
    public void reset() {
        byId.clear();
    }

    @Override
    public void close() {
        byId.clear();
    }
}
