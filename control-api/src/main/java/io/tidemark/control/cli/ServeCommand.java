package io.tidemark.control.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.ControlServer;
import io.tidemark.control.api.ServerLimits;
import io.tidemark.control.api.TlsFiles;
import io.tidemark.control.auth.BearerTokens;
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
            description = {"The bearer tokens that may call the API, one 'NAME SCOPE TOKEN' per line (scopes: read, "
                    + "operate, admin); or set $" + BearerTokens.ENV + " to NAME:SCOPE:TOKEN,..."})
    Path tokensFile;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate chain (PEM); "
            + "reloaded when the file changes. Needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key (PEM, PKCS#8, "
            + "unencrypted); reloaded when the file changes.")
    Path tlsKey;

    @Option(names = "--max-actions", defaultValue = "8", paramLabel = "N", description = "Actions and progress streams "
            + "that may run at once; one more is answered 429 (default: ${DEFAULT-VALUE}).")
    int maxActions;

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
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        if (maxActions < 1) {
            throw new ParameterException(spec.commandLine(), "--max-actions must be at least 1");
        }
        ServerLimits defaults = ServerLimits.DEFAULTS;
        ServerLimits limits = new ServerLimits(defaults.idleTimeout(), defaults.requestTimeout(), defaults.maxBody(),
                defaults.maxHeader(), defaults.readThreads(), maxActions);
        ControlServer server;
        try {
            server = new ControlServer(new ControlServer.Settings(new InetSocketAddress(bind, port),
                    tlsCert == null ? null : new TlsFiles(tlsCert, tlsKey), limits), services, tokens);
        } catch (IllegalArgumentException e) {
            services.values().forEach(ProjectServices::close);
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "tidemark-api-shutdown"));
        server.start();
        spec.commandLine().getOut().println("Tidemark control API on " + (tlsCert == null ? "http" : "https") + "://" + bind + ":" + server.port() + " for "
                + String.join(", ", services.keySet()));
        spec.commandLine().getOut().flush();
        stopped.await();
        return TidemarkCli.OK;
    }
}
