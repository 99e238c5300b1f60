package io.tidemark.control.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** bin/tidemark itself, on what the package phase built, against a running control API. */
final class Launcher {

    private static final Path PATH = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent()
            .resolve("bin/tidemark");

    record Cli(int exitCode, String out, String err) {
    }

    private Launcher() {
    }

    static Cli run(int apiPort, String token, Duration within, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PATH.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("tidemark-out", ".txt");
        Path err = Files.createTempFile("tidemark-err", ".txt");
        ProcessBuilder b = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        b.environment().put("TIDEMARK_NO_BUILD", "1");
        b.environment().put("TIDEMARK_API_URL", "http://127.0.0.1:" + apiPort);
        b.environment().put("TIDEMARK_API_TOKEN", token);
        Process p = b.start();
        assertThat(p.waitFor(within.toSeconds(), TimeUnit.SECONDS)).as("bin/tidemark finished").isTrue();
        return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
