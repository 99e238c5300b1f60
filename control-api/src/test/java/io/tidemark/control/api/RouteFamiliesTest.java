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
import io.tidemark.control.actions.ActionResult;
import io.tidemark.control.auth.BearerTokens;
import io.tidemark.control.auth.Scope;

/**
 * What later work adds to the server is one route family: static files, a long job that streams
 * its progress, a read. A failure the handler did not expect answers 500 with a reference, never
 * the exception's text.
 */
class RouteFamiliesTest {

    private static final String TOKEN = "test-token-0123456789abcdef";
    private static ControlServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A dashboard's files, a job with progress lines, and a read that fails in an unexpected way. */
    static final Routes.Family EXTRA = routes -> {
        routes.assets("/ui", "io/tidemark/control/api/test-ui", Scope.READ);
        routes.action("POST", "/jobs/count", Scope.OPERATE, x -> ProgressAnswer.respond(x, progress -> {
            for (int i = 1; i <= 3; i++) {
                progress.say("counted " + i);
            }
            return new ActionResult("count", "none", null, true, "counted to 3", List.of(), List.of());
        }));
        routes.read("GET", "/boom", Scope.READ, x -> {
            throw new IllegalStateException("password=hunter2 in jdbc:postgresql://secret-host/db");
        });
    };

    @BeforeAll
    static void start() throws Exception {
        ProjectServices p = ProjectServices.of(TestProjects.project("shop", URI.create("http://127.0.0.1:1"), null),
                Map.of());
        server = new ControlServer(ControlServer.Settings.plain(new InetSocketAddress("127.0.0.1", 0)), Map.of("shop", p),
                BearerTokens.of(List.of("ops admin " + TOKEN)), List.of(EXTRA));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> call(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + TOKEN).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void staticFilesAreServedWithTheirTypeAndNothingOutsideTheirDirectory() throws Exception {
        HttpResponse<String> index = call("GET", "/ui");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.body()).contains("served from the class path");
        assertThat(call("GET", "/ui/app.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(call("GET", "/ui/nope.js").statusCode()).isEqualTo(404);
        assertThat(call("GET", "/ui/../openapi.yaml").statusCode()).as("a path that leaves /ui").isIn(400, 404);
    }

    @Test
    void aJobStreamsItsProgressAsJsonLines() throws Exception {
        HttpResponse<String> r = call("POST", "/jobs/count?progress=true");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(r.body().lines().toList()).containsExactly("{\"progress\":\"counted 1\"}",
                "{\"progress\":\"counted 2\"}", "{\"progress\":\"counted 3\"}",
                "{\"result\":{\"action\":\"count\",\"project\":\"none\",\"table\":null,\"done\":true,"
                        + "\"message\":\"counted to 3\",\"steps\":[],\"unrecorded\":[]}}");
    }

    @Test
    void anUnexpectedFailureAnswersAReferenceNotTheExceptionsText() throws Exception {
        HttpResponse<String> r = call("GET", "/boom");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("\"error\" : \"INTERNAL\"", "reference").doesNotContain("hunter2", "secret-host",
                "IllegalStateException");
    }
}
