package io.tidemark.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.tidemark.control.ProjectServices;

/**
 * The HTTP surface without a pipeline: tokens, validation, unknown projects, a Connect cluster that
 * does not answer, and the OpenAPI document against the routes the server really has.
 */
class ControlServerTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    private static ControlServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once closed: a Connect cluster that is down
        }
        ProjectServices down = ProjectServices.of(TestProjects.project("shop", URI.create("http://127.0.0.1:" + closedPort),
                null), Map.of());
        server = new ControlServer(new InetSocketAddress("127.0.0.1", 0), Map.of("shop", down),
                BearerTokens.of(List.of(TOKEN)));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthNeedsNoTokenEverythingElseDoes() throws Exception {
        assertThat(call("GET", "/health", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> none = call("GET", "/projects", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tidemark\"");
        assertThat(call("GET", "/projects", "wrong-token-0123456789", null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/projects/shop/stop", null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/metrics", "nope", null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/projects", TOKEN, null).statusCode()).isEqualTo(200);
    }

    @Test
    void badInputIsA400ThatSaysWhy() throws Exception {
        HttpResponse<String> json = call("POST", "/projects/shop/pause", TOKEN, "{not json");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.body()).contains("not valid JSON");
        HttpResponse<String> field = call("POST", "/projects/shop/pause", TOKEN, "{\"wait\": 3}");
        assertThat(field.statusCode()).isEqualTo(400);
        assertThat(field.body()).contains("unknown field 'wait'", "allowed: waitSeconds");
        assertThat(call("POST", "/projects/shop/pause", TOKEN, "{\"waitSeconds\": -1}").body())
                .contains("waitSeconds must be a whole number");
        assertThat(call("POST", "/projects/shop/pause", TOKEN, "[1]").statusCode()).isEqualTo(400);
        HttpResponse<String> mode = call("PUT", "/projects/shop/tables/public.x/mode", TOKEN, "{}");
        assertThat(mode.statusCode()).isEqualTo(400);
        assertThat(mode.body()).contains("the body needs", "FULL", "PARTIAL");
        HttpResponse<String> delete = call("DELETE", "/projects/shop", TOKEN, null);
        assertThat(delete.statusCode()).isEqualTo(400);
        assertThat(delete.body()).contains("confirm=shop");
    }

    @Test
    void unknownProjectsAndRoutesAre404() throws Exception {
        HttpResponse<String> r = call("GET", "/projects/nope", TOKEN, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no project 'nope'", "shop");
        assertThat(call("POST", "/projects/nope/start", TOKEN, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/nowhere", TOKEN, null).statusCode()).isEqualTo(404);
        assertThat(call("PUT", "/projects/shop/start", TOKEN, null).statusCode()).isEqualTo(405);
    }

    @Test
    void aConnectClusterThatIsDownIsA503AndNothingChanges() throws Exception {
        for (String verb : List.of("start", "pause", "soft-stop", "stop", "restart")) {
            HttpResponse<String> r = call("POST", "/projects/shop/" + verb, TOKEN, null);
            assertThat(r.statusCode()).as(verb).isEqualTo(503);
            assertThat(r.body()).contains("the Connect cluster does not answer", "nothing was changed");
        }
        JsonNode status = Json.MAPPER.readTree(call("GET", "/projects/shop", TOKEN, null).body());
        assertThat(status.path("state").asText()).isEqualTo("UNKNOWN");
        assertThat(status.path("problems").toString()).contains("the Connect cluster does not answer");
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutesTheServerHas() throws Exception {
        HttpResponse<String> doc = call("GET", "/openapi.yaml", TOKEN, null);
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode api = new YAMLMapper().readTree(doc.body());
        assertThat(api.path("openapi").asText()).startsWith("3.");
        TreeSet<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(method -> {
                if (List.of("get", "put", "post", "delete", "patch").contains(method)) {
                    documented.add(method.toUpperCase() + " " + p.getKey());
                    boolean open = p.getValue().get(method).has("security")
                            && p.getValue().get(method).get("security").isEmpty();
                    assertThat(open).as(method + " " + p.getKey() + " needs no token in the document")
                            .isEqualTo(p.getKey().equals("/health"));
                }
            });
        }
        TreeSet<String> served = new TreeSet<>();
        server.routes().forEach(r -> served.add(r.method() + " " + r.template()));
        assertThat(documented).isEqualTo(served);
        assertThat(server.routes()).allSatisfy(r -> assertThat(r.authenticated()).isEqualTo(!r.template().equals("/health")));
        assertThat(Json.MAPPER.readTree(call("GET", "/openapi.json", TOKEN, null).body()).path("paths").size())
                .isEqualTo(api.path("paths").size());
    }
}
