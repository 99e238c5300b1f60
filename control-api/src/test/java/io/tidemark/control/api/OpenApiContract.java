package io.tidemark.control.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.tidemark.control.api.routes.ServiceRoutes;

/**
 * The OpenAPI document as a contract for answers: the schema of an operation's answer (method,
 * path template, status), and an answer's body validated against it with a JSON Schema 2020-12
 * validator (OpenAPI 3.1's schema dialect), {@code $ref}s into the document's components resolved.
 */
public final class OpenApiContract {

    private final JsonNode doc;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private OpenApiContract(JsonNode doc) {
        this.doc = doc;
    }

    public static OpenApiContract load() throws IOException {
        return new OpenApiContract(new YAMLMapper().readTree(ServiceRoutes.openApi()));
    }

    public JsonNode document() {
        return doc;
    }

    /** The violations of the answer's body against its schema; empty when it conforms. */
    public List<String> violations(String method, String template, int status, String contentType, JsonNode body) {
        JsonNode operation = doc.path("paths").path(template).path(method.toLowerCase());
        if (operation.isMissingNode()) {
            return List.of("the document has no " + method + " " + template);
        }
        JsonNode response = resolve(operation.path("responses").path(Integer.toString(status)));
        if (response.isMissingNode()) {
            return List.of(method + " " + template + " documents no " + status + " answer");
        }
        JsonNode schema = response.path("content").path(contentType).path("schema");
        if (schema.isMissingNode()) {
            return List.of(method + " " + template + " " + status + " documents no " + contentType + " body");
        }
        ObjectNode root = ((ObjectNode) schema.deepCopy());
        root.set("components", doc.path("components"));
        JsonSchema validator = factory.getSchema(root);
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : validator.validate(body)) {
            out.add(method + " " + template + " " + status + ": " + m.getMessage());
        }
        return out;
    }

    private JsonNode resolve(JsonNode node) {
        if (node.has("$ref")) {
            String[] parts = node.get("$ref").asText().substring(2).split("/");
            JsonNode target = doc;
            for (String p : parts) {
                target = target.path(p);
            }
            return target;
        }
        return node;
    }
}
