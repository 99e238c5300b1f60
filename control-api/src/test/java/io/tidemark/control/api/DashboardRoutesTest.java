package io.tidemark.control.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.auth.BearerTokens;

/**
 * The dashboard's files are served by the API itself, uPlot's from its WebJar, with no token (a
 * browser cannot send one for a page) and a policy that lets the page load nothing from elsewhere;
 * what the page shows needs a token, and {@code /token} tells it what that token may do.
 * (DashboardIT drives the page in a real browser.)
 */
class DashboardRoutesTest {

    private static final String READER = "reader-token-0123456789abcdef";
    private static ControlServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        ProjectServices p = ProjectServices.of(TestProjects.project("shop", URI.create("http://127.0.0.1:1"), null),
                Map.of());
        server = new ControlServer(new InetSocketAddress("127.0.0.1", 0), Map.of("shop", p),
                BearerTokens.of(List.of("viewer read " + READER)));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsFilesNeedNoTokenAndLoadNothingFromElsewhere() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p -> assertThat(p)
                .startsWith("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(page.body()).contains("dashboard/app.js", "dashboard/uPlot.iife.min.js").doesNotContain("http://",
                "https://");
        for (String file : List.of("app.js", "api.js", "tree.js", "panels.js", "checks.js", "charts.js", "rules.js", "format.js")) {
            HttpResponse<String> js = get("/dashboard/" + file, null);
            assertThat(js.statusCode()).as(file).isEqualTo(200);
            assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        }
        assertThat(get("/dashboard/style.css", null).headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");
    }

    @Test
    void uPlotComesFromItsWebJarInTheJar() throws Exception {
        HttpResponse<String> uplot = get("/dashboard/uPlot.iife.min.js", null);
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("uPlot").hasSizeGreaterThan(20_000);
        assertThat(get("/dashboard/uPlot.min.css", null).statusCode()).isEqualTo(200);
    }

    @Test
    void nothingElseOfTheClassPathIsServed() throws Exception {
        assertThat(get("/dashboard/nope.js", null).statusCode()).isEqualTo(404);
        assertThat(get("/dashboard/..%2Fapi%2Fopenapi.yaml", null).statusCode()).as("a path that leaves /dashboard").isIn(400, 404);
        assertThat(get("/dashboard/.hidden", null).statusCode()).isEqualTo(404);
        assertThat(get("/dashboard/uPlot.d.ts", null).statusCode()).as("only what the page loads").isEqualTo(404);
    }

    @Test
    void theTokenRouteTellsTheNameAndScopeAndNeedsAToken() throws Exception {
        assertThat(get("/token", null).statusCode()).isEqualTo(401);
        assertThat(get("/token", "wrong-token-0123456789abcdef").statusCode()).isEqualTo(401);
        HttpResponse<String> me = get("/token", READER);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(me.body()).path("scope").asText()).isEqualTo("read");
        assertThat(me.body()).contains("\"viewer\"").doesNotContain(READER);
    }
}
