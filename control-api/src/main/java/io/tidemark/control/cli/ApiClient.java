package io.tidemark.control.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.api.Json;

/**
 * The CLI's side of the control API. An answer is its status and JSON body; a 4xx or 5xx becomes an
 * {@link ApiException} whose exit code follows the status (409 refused, 400/401/403/404 usage,
 * 5xx or no answer a failure).
 */
final class ApiClient {

    record Answer(int status, JsonNode body) {
    }

    /** A failure: the exit code it means, and the API's status and error kind (0 and NO_ANSWER without an answer). */
    static final class ApiException extends RuntimeException {
        final int exitCode;
        final int status;
        final String kind;

        ApiException(int exitCode, String message) {
            this(exitCode, 0, exitCode == TidemarkCli.USAGE ? "USAGE" : "NO_ANSWER", message);
        }

        ApiException(int exitCode, int status, String kind, String message) {
            super(message);
            this.exitCode = exitCode;
            this.status = status;
            this.kind = kind;
        }
    }

    private final URI base;
    private final Path tokenFile;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ApiClient(URI base, Path tokenFile, String token) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.tokenFile = tokenFile;
        this.token = token;
    }

    static String path(String... segments) {
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            sb.append('/').append(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    Answer get(String path) {
        return send(request(path).GET().build(), null);
    }

    /** A GET that waits at most {@code timeout}: for {@code --version}, which must not hang on an API that does not answer. */
    Answer get(String path, Duration timeout) {
        return send(request(path).timeout(timeout).GET().build(), null);
    }

    /**
     * Sends and, for an action, reads the progress lines as they come ({@code ?progress=true}).
     *
     * @param progress null: a plain request; else each progress line is handed to it
     */
    Answer send(String method, String path, JsonNode body, Consumer<String> progress) {
        HttpRequest.Builder b = request(progress == null ? path : path + (path.contains("?") ? "&" : "?") + "progress=true")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        return send(b.build(), progress);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token())
                .header("Accept", "application/json");
    }

    private String token() {
        if (tokenFile != null) {
            try {
                return Files.readString(tokenFile).strip();
            } catch (IOException e) {
                throw new ApiException(TidemarkCli.USAGE, "cannot read --token-file " + tokenFile + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        if (token == null || token.isBlank()) {
            throw new ApiException(TidemarkCli.USAGE, "no API token: give --token-file FILE, or set "
                    + ApiOptions.TOKEN_FILE_ENV + " or " + ApiOptions.TOKEN_ENV);
        }
        return token.strip();
    }

    private Answer send(HttpRequest request, Consumer<String> progress) {
        HttpResponse<java.io.InputStream> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ApiException(TidemarkCli.FAILED, "the control API at " + base + " does not answer ("
                    + e.getClass().getSimpleName() + "): is 'tidemark serve' running? (--api or " + ApiOptions.URL_ENV + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(TidemarkCli.FAILED, "interrupted");
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("application/x-ndjson")) {
                String line;
                while ((line = in.readLine()) != null) {
                    JsonNode n = Json.MAPPER.readTree(line);
                    if (n.has("progress")) {
                        progress.accept(n.get("progress").asText());
                    } else if (n.has("result")) {
                        JsonNode result = n.get("result");
                        return new Answer(result.path("done").asBoolean() ? 200 : 202, result);
                    } else if (n.has("error")) {
                        throw failure(n.get("error").path("status").asInt(500), n.get("error"));
                    }
                }
                throw new ApiException(TidemarkCli.FAILED, "the control API ended the stream without a result");
            }
            String text = in.lines().reduce("", (a, b) -> a + b + "\n");
            JsonNode body = text.isBlank() ? null : type.contains("json") ? Json.MAPPER.readTree(text)
                    : Json.MAPPER.getNodeFactory().textNode(text);
            if (r.statusCode() >= 400) {
                throw failure(r.statusCode(), body);
            }
            return new Answer(r.statusCode(), body);
        } catch (IOException e) {
            throw new ApiException(TidemarkCli.FAILED, "reading the control API's answer failed: " + e.getMessage());
        }
    }

    private static ApiException failure(int status, JsonNode body) {
        String message = body != null && body.has("message") ? body.get("message").asText() : String.valueOf(body);
        String kind = body != null && body.has("error") ? body.get("error").asText() : "HTTP_" + status;
        return new ApiException(TidemarkCli.exitCodeOf(status), status, kind, message);
    }
}
