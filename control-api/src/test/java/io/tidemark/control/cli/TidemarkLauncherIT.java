package io.tidemark.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/tidemark} itself, from another directory, on what the package phase built
 * ({@code TIDEMARK_NO_BUILD=1}: a Maven build must not start another one): the launcher's
 * classpath, arguments, output streams and exit codes, end to end.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class TidemarkLauncherIT {

    private static final Path LAUNCHER = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
            .getParent().resolve("bin/tidemark");

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {
        String lastLine() {
            List<String> lines = out.lines().toList();
            return lines.get(lines.size() - 1);
        }
    }

    @Test
    void keygenIssueAndInspectThroughTheLauncher() throws Exception {
        Result keygen = tidemark("license", "keygen", "--out", "keys");
        assertThat(keygen.exitCode()).as(keygen.err()).isZero();
        assertThat(keygen.err()).isEmpty();
        assertThat(dir.resolve("keys/license-private.pem")).exists();

        Result issue = tidemark("license", "issue", "--private-key", "keys/license-private.pem", "--project", "acme-prod",
                "--max-bytes", "500GB", "--expires", "2099-12-31");
        assertThat(issue.exitCode()).as(issue.err()).isZero();
        assertThat(issue.err()).isEmpty();
        String key = issue.lastLine();
        assertThat(key).startsWith("tmk1.");

        Result inspect = tidemark("license", "inspect", "--public-key", "keys/license-public.pem", "--project", "acme-prod", key);
        assertThat(inspect.exitCode()).as(inspect.out()).isZero();
        assertThat(inspect.err()).isEmpty();
        assertThat(inspect.lastLine()).isEqualTo("verifies:    yes");

        Result otherProject = tidemark("license", "inspect", "--public-key", "keys/license-public.pem", "--project", "globex", key);
        assertThat(otherProject.exitCode()).isEqualTo(TidemarkCli.REFUSED);
        assertThat(otherProject.lastLine()).startsWith("verifies:    no (WRONG_PROJECT: ");

        Result usage = tidemark("license", "issue", "--private-key", "keys/license-private.pem", "--project", "p",
                "--max-bytes", "lots", "--expires", "2099-12-31");
        assertThat(usage.exitCode()).isEqualTo(TidemarkCli.USAGE);
        assertThat(usage.out()).isEmpty();
        assertThat(usage.err()).startsWith("error: Invalid value for option '--max-bytes': 'lots' is not a size");
    }

    private Result tidemark(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("TIDEMARK_NO_BUILD", "1");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bin/tidemark finished").isTrue();
        return new Result(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
