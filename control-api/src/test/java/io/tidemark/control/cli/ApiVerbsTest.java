package io.tidemark.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.ControlServer;
import io.tidemark.control.api.Json;
import io.tidemark.control.api.TestProjects;
import io.tidemark.control.auth.BearerTokens;

/**
 * The client verbs against a running API whose project's Connect cluster and target do not answer:
 * exit codes from the one table, {@code --json} errors as JSON, {@code status} non-zero for an UNKNOWN
 * project, {@code wait}, no option that does nothing, {@code --version}, shell completion.
 */
class ApiVerbsTest {

    private static final String TOKEN = "cli-token-0123456789abcdef";
    private static ControlServer server;
    private static Path tokenFile;
    private static Path wrongToken;

    @BeforeAll
    static void start() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ProjectServices down = ProjectServices.of(TestProjects.project("shop", URI.create("http://127.0.0.1:" + closedPort),
                null), Map.of());
        server = new ControlServer(new InetSocketAddress("127.0.0.1", 0), Map.of("shop", down),
                BearerTokens.of(List.of("ops admin " + TOKEN)));
        server.start();
        tokenFile = Files.createTempFile("tidemark-token", ".txt");
        Files.writeString(tokenFile, TOKEN);
        wrongToken = Files.createTempFile("tidemark-token", ".txt");
        Files.writeString(wrongToken, "not-the-token-0123456789");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static CliRun cli(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--api";
        all[args.length + 1] = "http://127.0.0.1:" + server.port();
        all[args.length + 2] = "--token-file";
        all[args.length + 3] = tokenFile.toString();
        return CliRun.of(all);
    }

    @Test
    void statusExitsNonZeroForAnUnknownProject() {
        CliRun status = cli("status", "shop");
        assertThat(status.out()).startsWith("project shop: UNKNOWN");
        assertThat(status.exitCode()).isEqualTo(TidemarkCli.REFUSED);
    }

    @Test
    void jsonErrorsAreJson() throws Exception {
        CliRun run = CliRun.of("status", "shop", "--json", "--api", "http://127.0.0.1:" + server.port(), "--token-file",
                wrongToken.toString());
        assertThat(run.exitCode()).isEqualTo(TidemarkCli.USAGE);
        JsonNode error = Json.MAPPER.readTree(run.out());
        assertThat(error.path("status").asInt()).isEqualTo(401);
        assertThat(error.path("error").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(error.path("exitCode").asInt()).isEqualTo(TidemarkCli.USAGE);
        CliRun down = cli("pause", "shop", "--json");
        assertThat(down.exitCode()).isEqualTo(TidemarkCli.FAILED);
        assertThat(Json.MAPPER.readTree(down.out()).path("error").asText()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void anOptionThatWouldDoNothingIsAUsageError() {
        CliRun status = cli("status", "shop", "--wait", "5");
        assertThat(status.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(status.err()).contains("Unknown option", "'--wait'");
        assertThat(cli("precheck", "shop", "--wait", "5").exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(cli("table", "list", "shop", "--wait", "5").exitCode()).isEqualTo(TidemarkCli.USAGE);
    }

    @Test
    void waitEndsWith4WhenTheStateDoesNotComeAnd2ForABadCondition() {
        CliRun wait = cli("wait", "shop", "--for", "RUNNING", "--timeout", "1");
        assertThat(wait.exitCode()).as(wait.err()).isEqualTo(TidemarkCli.PENDING);
        assertThat(wait.err()).contains("RUNNING did not come within 1 s (UNKNOWN");
        CliRun bad = cli("wait", "shop", "--for", "DANCING");
        assertThat(bad.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(bad.err()).contains("--for takes RUNNING, STOPPED or iteration=N");
    }

    @Test
    void auditOfAProjectWhoseTargetIsDownIsAFailure() {
        CliRun audit = cli("audit", "shop");
        assertThat(audit.exitCode()).isEqualTo(TidemarkCli.FAILED);
        assertThat(audit.err()).contains("does not answer", "[HTTP 503]");
    }

    @Test
    void versionAndShellCompletion() {
        CliRun version = CliRun.of("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("tidemark CLI 0.").contains("control API");
        CliRun completion = CliRun.of("generate-completion");
        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out()).contains("complete -F", "soft-stop", "audit");
    }
}
