package io.tidemark.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.routes.ServiceRoutes;
import io.tidemark.control.auth.BearerTokens;

/**
 * The OpenAPI document is valid (parsed by swagger-parser, which reports what does not conform) and
 * describes exactly the routes the server has: the same paths and methods, no token exactly on the
 * probes, every object's required fields, the NDJSON progress stream on every action, and the
 * error answers each route can give.
 */
class OpenApiDocumentTest {

    private static ControlServer server;

    @BeforeAll
    static void start() throws Exception {
        ProjectServices p = ProjectServices.of(TestProjects.project("shop", URI.create("http://127.0.0.1:1"), null),
                Map.of());
        server = new ControlServer(new InetSocketAddress("127.0.0.1", 0), Map.of("shop", p),
                BearerTokens.of(List.of("test-token-0123456789abcdef")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRealParserFindsNothingWrong() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(new String(ServiceRoutes.openApi(),
                StandardCharsets.UTF_8), null, options);
        assertThat(result.getMessages()).as("swagger-parser's messages").isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getComponents().getResponses()).containsKeys("BadRequest", "Unauthorized",
                "Forbidden", "MethodNotAllowed", "Refused", "Internal");
    }

    @Test
    void theDocumentDescribesExactlyTheRoutesTheServerHas() throws Exception {
        JsonNode api = OpenApiContract.load().document();
        TreeSet<String> documented = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (!List.of("get", "put", "post", "delete", "patch").contains(method)) {
                    continue;
                }
                documented.add(method.toUpperCase() + " " + p.getKey());
                JsonNode op = p.getValue().get(method);
                boolean open = op.has("security") && op.get("security").isEmpty();
                Route route = server.routes().stream().filter(r -> r.template().equals(p.getKey())
                        && r.method().equalsIgnoreCase(method)).findFirst().orElse(null);
                if (route == null) {
                    continue;
                }
                if (open != !route.authenticated()) {
                    problems.add(method + " " + p.getKey() + ": the document says token " + (open ? "not " : "")
                            + "needed, the server the opposite");
                }
                JsonNode responses = op.path("responses");
                List<String> needed = new ArrayList<>(open ? List.of() : List.of("401", "403", "405", "500"));
                if (route.kind() == Route.Kind.ACTION && !p.getKey().endsWith("/precheck")) {
                    needed.addAll(List.of("400", "409", "429"));
                    if (!responses.path("200").has("$ref")
                            || !api.path("components").path("responses").path("Done").path("content")
                            .has("application/x-ndjson")) {
                        problems.add(method + " " + p.getKey() + ": the NDJSON progress stream is not declared");
                    }
                }
                for (String code : needed) {
                    if (!responses.has(code)) {
                        problems.add(method + " " + p.getKey() + ": no " + code + " answer");
                    }
                }
            }
        }
        TreeSet<String> served = new TreeSet<>();
        server.routes().forEach(r -> served.add(r.method() + " " + r.template()));
        assertThat(documented).isEqualTo(served);
        for (Iterator<Map.Entry<String, JsonNode>> s = api.path("components").path("schemas").fields(); s.hasNext(); ) {
            Map.Entry<String, JsonNode> schema = s.next();
            if ("object".equals(schema.getValue().path("type").asText()) && !schema.getValue().has("required")) {
                problems.add("schema " + schema.getKey() + " has no required list");
            }
        }
        assertThat(problems).isEmpty();
    }
}
