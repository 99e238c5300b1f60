package io.tidemark.control.strimzi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.tidemark.control.project.ProjectException;
import io.tidemark.control.project.StrimziSettings;

/**
 * Who the control API is to Kubernetes, as fabric8 configures it: a kubeconfig read the way kubectl
 * reads it (exec credential plugins, client certificates, tokens; its current context or the one
 * named), else the pod's service account, else nobody. fabric8 falls back to the current context when
 * a named one is missing, and to {@code https://kubernetes.default.svc} when there is none: both are
 * refused here, by name, before any request is sent.
 */
public final class KubernetesCredentials {

    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private KubernetesCredentials() {
    }

    /** From the kubeconfig, else the service account, else null (no credentials: actions give the kubectl command). */
    public static Config discover(StrimziSettings settings, Map<String, String> env) {
        return discover(settings.kubeconfig(), settings.context(), env, SERVICE_ACCOUNT);
    }

    static Config discover(Path kubeconfig, String context, Map<String, String> env, Path serviceAccount) {
        if (kubeconfig != null) {
            return fromKubeconfig(kubeconfig, context);
        }
        String host = env.get("KUBERNETES_SERVICE_HOST");
        Path token = serviceAccount.resolve("token");
        if (host == null || !Files.isReadable(token)) {
            return null;
        }
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        // Bound service-account tokens expire (an hour by default) and the kubelet rewrites the file
        // before they do: the token is read again for every request, never kept.
        return new ConfigBuilder(Config.empty())
                .withMasterUrl("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port)
                .withCaCertFile(serviceAccount.resolve("ca.crt").toString())
                .withOauthTokenProvider(() -> read(token, "the service account token"))
                .build();
    }

    /** The context named, else the file's current context; either must exist, with its cluster and user. */
    static Config fromKubeconfig(Path file, String context) {
        String where = "strimzi.kubeconfig " + file;
        if (!Files.isReadable(file)) {
            throw new ProjectException(where + " cannot be read");
        }
        io.fabric8.kubernetes.api.model.Config kubeconfig;
        try {
            kubeconfig = KubeConfigUtils.parseConfig(file.toFile());
        } catch (RuntimeException e) {
            throw new ProjectException(where + " is not a kubeconfig: " + e.getMessage());
        }
        List<NamedContext> contexts = Objects.requireNonNullElse(kubeconfig.getContexts(), List.of());
        List<String> names = contexts.stream().map(NamedContext::getName).toList();
        String name = context != null ? context : kubeconfig.getCurrentContext();
        if (name == null || name.isBlank()) {
            throw new ProjectException(where + " has no current-context: set strimzi.context to one of " + names);
        }
        NamedContext chosen = contexts.stream().filter(c -> name.equals(c.getName()) && c.getContext() != null)
                .findFirst().orElseThrow(() -> new ProjectException(where + " has no context '" + name + "' ("
                        + (context != null ? "strimzi.context" : "its current-context") + "); its contexts: " + names));
        String clusterName = chosen.getContext().getCluster();
        NamedCluster cluster = Objects.requireNonNullElse(kubeconfig.getClusters(), List.<NamedCluster>of()).stream()
                .filter(c -> Objects.equals(clusterName, c.getName()) && c.getCluster() != null
                        && c.getCluster().getServer() != null)
                .findFirst().orElse(null);
        if (cluster == null) {
            throw new ProjectException(where + ": context '" + name + "' names cluster '" + clusterName
                    + "', which the file does not have with a server");
        }
        String userName = chosen.getContext().getUser();
        AuthInfo user = Objects.requireNonNullElse(kubeconfig.getUsers(), List.<NamedAuthInfo>of()).stream()
                .filter(u -> Objects.equals(userName, u.getName())).map(NamedAuthInfo::getUser)
                .filter(Objects::nonNull).findFirst().orElse(null);
        if (user == null) {
            throw new ProjectException(where + ": context '" + name + "' names user '" + userName
                    + "', which the file does not have");
        }
        Config config;
        try {
            // Runs the user's exec credential plugin, if any (aws eks get-token, gke-gcloud-auth-plugin,
            // kubelogin); fabric8 runs it again when the token is refused or a minute has passed.
            config = Config.fromKubeconfig(name, file.toFile());
        } catch (KubernetesClientException e) {
            throw new ProjectException(where + ", context '" + name + "': " + e.getMessage());
        }
        // kubectl's tokenFile, which fabric8 does not read: read for every request, as a rotated file.
        if (isBlank(config.getAutoOAuthToken()) && user.getTokenFile() != null && user.getExec() == null) {
            Path tokenFile = file.toAbsolutePath().getParent().resolve(user.getTokenFile());
            config.setOauthTokenProvider(() -> read(tokenFile, where + ": tokenFile"));
        } else if (!authenticates(config)) {
            throw new ProjectException(where + ": user '" + userName + "' of context '" + name + "' gives no credentials "
                    + "the control API can send (a token, tokenFile, client certificate or exec plugin that prints one"
                    + (user.getExec() != null ? "; its exec plugin '" + user.getExec().getCommand()
                    + "' gave none, the log above says why" : "") + ")");
        }
        return config;
    }

    private static boolean authenticates(Config c) {
        return !isBlank(c.getAutoOAuthToken()) || !isBlank(c.getOauthToken())
                || !isBlank(c.getClientCertData()) || !isBlank(c.getClientCertFile())
                || !isBlank(c.getUsername()) || c.getAuthProvider() != null;
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new KubernetesClientException(what + " " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
