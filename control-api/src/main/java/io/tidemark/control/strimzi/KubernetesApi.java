package io.tidemark.control.strimzi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.tidemark.control.ControlException;
import io.tidemark.control.Tls;

/**
 * Just enough of the Kubernetes API to patch a custom resource: the server, a bearer token and the
 * CA, from a kubeconfig (its current context; token or token file authentication) or from the
 * pod's service account.
 */
public final class KubernetesApi {

    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private final URI server;
    private final String token;
    private final HttpClient http;

    KubernetesApi(URI server, String token, SSLContext ssl) {
        this.server = server;
        this.token = token;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    /** From the kubeconfig, else the service account, else null (no credentials: the API refuses with kubectl). */
    public static KubernetesApi discover(Path kubeconfig, Map<String, String> env) {
        if (kubeconfig != null) {
            return fromKubeconfig(kubeconfig);
        }
        String host = env.get("KUBERNETES_SERVICE_HOST");
        Path tokenFile = SERVICE_ACCOUNT.resolve("token");
        if (host != null && Files.isReadable(tokenFile)) {
            try {
                String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
                return new KubernetesApi(URI.create("https://" + host + ":" + port), Files.readString(tokenFile).strip(),
                        trusting(Files.readAllBytes(SERVICE_ACCOUNT.resolve("ca.crt"))));
            } catch (IOException e) {
                throw new ControlException(ControlException.Kind.UNAVAILABLE, "cannot read the service account in "
                        + SERVICE_ACCOUNT + ": " + e.getMessage());
            }
        }
        return null;
    }

    static KubernetesApi fromKubeconfig(Path file) {
        JsonNode k;
        try {
            k = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw ControlException.badRequest("strimzi.kubeconfig " + file + " cannot be read: " + e.getMessage());
        }
        String contextName = k.path("current-context").asText();
        JsonNode context = named(k.path("contexts"), contextName).path("context");
        JsonNode cluster = named(k.path("clusters"), context.path("cluster").asText()).path("cluster");
        JsonNode user = named(k.path("users"), context.path("user").asText()).path("user");
        String server = cluster.path("server").asText(null);
        if (server == null) {
            throw ControlException.badRequest("strimzi.kubeconfig " + file + ": context '" + contextName
                    + "' names no cluster server");
        }
        String token = user.path("token").asText(null);
        try {
            if (token == null && user.hasNonNull("tokenFile")) {
                token = Files.readString(file.getParent().resolve(user.get("tokenFile").asText())).strip();
            }
            if (token == null) {
                throw ControlException.badRequest("strimzi.kubeconfig " + file + ": user of context '" + contextName
                        + "' has no token; the control API authenticates with a bearer token (a service account's, "
                        + "e.g. kubectl create token tidemark-control)");
            }
            SSLContext ssl = null;
            if (cluster.hasNonNull("certificate-authority-data")) {
                ssl = trusting(Base64.getDecoder().decode(cluster.get("certificate-authority-data").asText()));
            } else if (cluster.hasNonNull("certificate-authority")) {
                ssl = trusting(Files.readAllBytes(file.getParent().resolve(cluster.get("certificate-authority").asText())));
            }
            return new KubernetesApi(URI.create(server), token, ssl);
        } catch (IOException e) {
            throw ControlException.badRequest("strimzi.kubeconfig " + file + ": " + e.getMessage());
        }
    }

    /** A JSON merge patch of one namespaced custom resource. */
    public void mergePatch(String group, String version, String namespace, String plural, String name, String patch) {
        URI uri = URI.create(server + "/apis/" + group + "/" + version + "/namespaces/" + namespace + "/" + plural + "/"
                + name);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/merge-patch+json")
                .header("Accept", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)).build();
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ControlException(ControlException.Kind.UNAVAILABLE, "the Kubernetes API at " + server
                    + " does not answer (" + e.getClass().getSimpleName() + "): nothing was changed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException(ControlException.Kind.UNAVAILABLE, "interrupted while calling Kubernetes");
        }
        if (r.statusCode() / 100 != 2) {
            throw new ControlException(r.statusCode() == 404 ? ControlException.Kind.NOT_FOUND
                    : ControlException.Kind.UPSTREAM, "PATCH " + uri.getPath() + " answered " + r.statusCode() + ": "
                    + r.body().lines().findFirst().orElse(""));
        }
    }

    private static JsonNode named(JsonNode list, String name) {
        for (JsonNode n : list) {
            if (name.equals(n.path("name").asText())) {
                return n;
            }
        }
        return list.path(0);
    }

    private static SSLContext trusting(byte[] pem) {
        try (InputStream in = new ByteArrayInputStream(pem)) {
            return Tls.trusting(in);
        } catch (Exception e) {
            throw ControlException.badRequest("the Kubernetes CA certificate cannot be read: " + e.getMessage());
        }
    }
}
