package io.tidemark.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.auth.BearerTokens;

/**
 * The HTTP surface without a pipeline: tokens and scopes, validation, unknown projects, a Connect
 * cluster that does not answer. (The OpenAPI document: {@link OpenApiDocumentTest}.)
 */
class ControlServerTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final String READER = "reader-token-0123456789abcdef";
    static final String OPERATOR = "operator-token-0123456789abcdef";
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
                BearerTokens.of(List.of("ops admin " + TOKEN, "prometheus read " + READER, "oncall operate " + OPERATOR)));
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
        HttpResponse<String> wrong = call("GET", "/projects", "wrong-token-0123456789", null);
        assertThat(wrong.statusCode()).as("a token the API does not know is a missing credential: 401").isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tidemark\", "
                + "error=\"invalid_token\"");
        assertThat(call("POST", "/projects/shop/stop", null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/metrics", "nope", null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/projects", TOKEN, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutTheScopeIsA403ThatNamesTheScopeNeeded() throws Exception {
        assertThat(call("GET", "/metrics", READER, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/projects", READER, null).statusCode()).isEqualTo(200);
        HttpResponse<String> stop = call("POST", "/projects/shop/stop", READER, null);
        assertThat(stop.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(stop.body()).path("message").asText())
                .isEqualTo("token 'prometheus' has scope read; POST /projects/{project}/stop needs operate");
        assertThat(call("DELETE", "/projects/shop?confirm=shop", READER, null).statusCode()).isEqualTo(403);
        HttpResponse<String> delete = call("DELETE", "/projects/shop?confirm=shop", OPERATOR, null);
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(delete.body()).contains("needs admin");
        assertThat(call("POST", "/projects/shop/precheck", READER, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/projects/shop/stop", OPERATOR, null).statusCode()).as("Connect is down").isEqualTo(503);
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
}
