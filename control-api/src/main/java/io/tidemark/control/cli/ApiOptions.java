package io.tidemark.control.cli;

import java.net.URI;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Where the control API is and the token to call it with: options, or the environment. */
final class ApiOptions {

    static final String URL_ENV = "TIDEMARK_API_URL";
    static final String TOKEN_ENV = "TIDEMARK_API_TOKEN";
    static final String TOKEN_FILE_ENV = "TIDEMARK_API_TOKEN_FILE";

    @Option(names = "--api", paramLabel = "URL", description = "The control API's URL (default: $" + URL_ENV
            + ", else http://127.0.0.1:8088).")
    URI api;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the bearer token (default: $"
            + TOKEN_FILE_ENV + ", or the token itself in $" + TOKEN_ENV + ").")
    Path tokenFile;

    @Option(names = "--json", description = "Print the API's JSON answer instead of text.")
    boolean json;

    URI url() {
        if (api != null) {
            return api;
        }
        String env = System.getenv(URL_ENV);
        return URI.create(env == null || env.isBlank() ? "http://127.0.0.1:8088" : env);
    }

    ApiClient client() {
        URI url = url();
        Path file = tokenFile;
        if (file == null && System.getenv(TOKEN_FILE_ENV) != null) {
            file = Path.of(System.getenv(TOKEN_FILE_ENV));
        }
        return new ApiClient(url, file, System.getenv(TOKEN_ENV));
    }
}
