package io.tidemark.control.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.BearerTokens;
import io.tidemark.control.api.ControlServer;
import io.tidemark.control.project.Project;
import io.tidemark.control.project.ProjectException;
import io.tidemark.control.project.ProjectFiles;
import io.tidemark.control.project.Secrets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tidemark serve}: runs the control API for the projects in a directory until stopped. */
@Command(name = "serve", description = {"Run the control API (HTTP, JSON) for the projects in --projects.",
        "Each project is a directory with a project.json (docs/control-api.md). Stops on SIGTERM or Ctrl-C."})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Option(names = "--projects", required = true, paramLabel = "DIR",
            description = "A directory of projects (DIR/<name>/project.json), or one project's directory.")
    Path projects;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (0.0.0.0 for every interface).")
    String bind;

    @Option(names = "--port", defaultValue = "8088", paramLabel = "PORT", description = "Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--tokens-file", paramLabel = "FILE",
            description = "The bearer tokens that may call the API, one per line; or set $" + BearerTokens.ENV + ".")
    Path tokensFile;

    @Override
    public Integer call() throws Exception {
        BearerTokens tokens;
        Map<String, ProjectServices> services = new LinkedHashMap<>();
        try {
            tokens = BearerTokens.load(tokensFile, System.getenv(BearerTokens.ENV));
            for (Project p : new ProjectFiles(Secrets.fromEnvironment()).loadAll(projects).values()) {
                services.put(p.name(), ProjectServices.of(p, System.getenv()));
            }
        } catch (IllegalArgumentException | ProjectException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ControlServer server = new ControlServer(new InetSocketAddress(bind, port), services, tokens);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "tidemark-api-shutdown"));
        server.start();
        spec.commandLine().getOut().println("Tidemark control API on http://" + bind + ":" + server.port() + " for "
                + String.join(", ", services.keySet()));
        spec.commandLine().getOut().flush();
        stopped.await();
        return TidemarkCli.OK;
    }
}
