package io.tidemark.it.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * The Kubernetes and Strimzi resources of config/, checked offline against published schemas (no
 * cluster runs here): Strimzi's resources against the OpenAPI schemas of Strimzi 1.2.0's CRDs
 * (src/test/resources/schemas/strimzi-1.2.0, copied from its release), the core kinds and the
 * ServiceMonitor against fabric8's Kubernetes and Prometheus Operator models, which are generated
 * from the same OpenAPI definitions. Either way an unknown field is an error, as with
 * {@code kubectl apply --validate=strict}: a misspelt or misplaced key is refused, not ignored.
 */
class KubernetesManifestsIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper MODEL = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Path CONTROL_API = ShippedFiles.path("config/kubernetes/control-api");

    private static final Map<String, Class<?>> CORE_KINDS = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "apps/v1/Deployment", Deployment.class,
            "rbac.authorization.k8s.io/v1/Role", Role.class,
            "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class);

    private static final Map<String, String> STRIMZI_CRDS = Map.of(
            "kafka.strimzi.io/v1/KafkaConnect", "041-Crd-kafkaconnect.yaml",
            "kafka.strimzi.io/v1/KafkaConnector", "047-Crd-kafkaconnector.yaml");

    @Test
    void everyShippedResourceMatchesItsSchema() throws IOException {
        List<Path> files = new ArrayList<>(ShippedFiles.files("config/strimzi", ".yaml"));
        try (var manifests = Files.list(CONTROL_API)) {
            manifests.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().forEach(files::add);
        }
        Map<String, List<String>> problems = new TreeMap<>();
        for (Path file : files) {
            for (JsonNode resource : documents(Files.readString(file))) {
                problems.put(ShippedFiles.REPO.relativize(file) + " " + resource.path("kind").asText(), validate(resource));
            }
        }
        assertThat(problems).as("resources checked").hasSizeGreaterThanOrEqualTo(11);
        problems.forEach((resource, found) -> assertThat(found).as(resource).isEmpty());
    }

    /** The checks refuse what they should: an unknown field in a Strimzi resource and in a core kind. */
    @Test
    void aMisplacedFieldIsRefused() throws IOException {
        JsonNode connect = YAML.readTree(ShippedFiles.path("config/strimzi/kafka-connect.yaml").toFile());
        ((ObjectNode) connect.get("spec")).put("groupid", "typo");
        assertThat(validate(connect)).anyMatch(m -> m.contains("groupid"));
        JsonNode deployment = YAML.readTree(CONTROL_API.resolve("deployment.yaml").toFile());
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("livenessprobe", "typo");
        assertThat(validate(deployment)).anyMatch(m -> m.contains("livenessprobe"));
    }

    /** What the control API's manifests promise, beyond their schemas. */
    @Test
    void theControlApiRunsUnprivilegedWithExactlyTheAccessItUses() throws IOException {
        Role role = model("role.yaml", Role.class);
        assertThat(role.getRules()).singleElement().satisfies((PolicyRule rule) -> {
            assertThat(rule.getApiGroups()).containsExactly("kafka.strimzi.io");
            assertThat(rule.getResources()).containsExactly("kafkaconnectors");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "patch");
        });
        Deployment deployment = model("deployment.yaml", Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo(model("serviceaccount.yaml", ServiceAccount.class).getMetadata().getName())
                .isEqualTo(model("rolebinding.yaml", RoleBinding.class).getSubjects().get(0).getName());
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        Container api = pod.getContainers().get(0);
        assertThat(api.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(api.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(api.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(api.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(api.getArgs()).containsSubsequence("--tokens-file", "/run/secrets/tidemark/api-tokens")
                .contains("--tls-cert", "--tls-key");
        // The Service, the ServiceMonitor and the NetworkPolicy reach the pods the Deployment makes.
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(model("service.yaml", Service.class).getSpec().getSelector())
                .containsAllEntriesOf(model("networkpolicy.yaml", NetworkPolicy.class).getSpec().getPodSelector().getMatchLabels());
        assertThat(model("service.yaml", Service.class).getMetadata().getLabels())
                .containsAllEntriesOf(model("servicemonitor.yaml", ServiceMonitor.class).getSpec().getSelector().getMatchLabels());
    }

    /**
     * The base as kubectl applies it: rendered by kustomize (kubectl's own, offline), every resource
     * valid, and every Secret a manifest names made by the base (or, the project ConfigMap, by the user).
     */
    @Test
    void theKustomizeBaseRendersWithEverySecretItNames(@TempDir Path work) throws Exception {
        assumeThat(onPath("kubectl")).as("kubectl (with its kustomize) is not installed here").isTrue();
        Path base = work.resolve("control-api");
        Files.createDirectories(base.resolve("secrets"));
        try (var manifests = Files.list(CONTROL_API)) {
            for (Path f : manifests.filter(Files::isRegularFile).toList()) {
                Files.copy(f, base.resolve(f.getFileName()));
            }
        }
        for (String secret : List.of("api-tokens", "tls.crt", "tls.key", "metrics-token")) {
            Files.writeString(base.resolve("secrets").resolve(secret), "not-a-real-" + secret + "\n");
        }
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", base.toString()).redirectErrorStream(true).start();
        String rendered = new String(kustomize.getInputStream().readAllBytes());
        assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kustomize.exitValue()).as(rendered).isZero();
        List<JsonNode> resources = documents(rendered);
        Set<String> secrets = resources.stream().filter(r -> r.path("kind").asText().equals("Secret"))
                .map(r -> r.at("/metadata/name").asText()).collect(Collectors.toSet());
        for (JsonNode resource : resources) {
            assertThat(resource.at("/metadata/namespace").asText()).as("namespace of " + resource.path("kind")).isEqualTo("kafka");
            assertThat(validate(resource)).as(resource.path("kind").asText()).isEmpty();
        }
        List<String> named = new ArrayList<>();
        resources.forEach(r -> collectSecretNames(r, named));
        assertThat(named).as("Secrets the manifests name").isNotEmpty().allMatch(secrets::contains);
    }

    private static List<String> validate(JsonNode resource) {
        String type = resource.path("apiVersion").asText() + "/" + resource.path("kind").asText();
        if (STRIMZI_CRDS.containsKey(type)) {
            return strimziSchema(STRIMZI_CRDS.get(type)).validate(resource).stream()
                    .map(ValidationMessage::getMessage).toList();
        }
        Class<?> model = CORE_KINDS.get(type);
        if (model == null) {
            return List.of("no schema known for " + type);
        }
        List<String> unknown = new ArrayList<>();
        UnknownFields.collect(MODEL.convertValue(resource, model), "", unknown);
        return unknown;
    }

    /** The CRD's v1 schema, with unknown fields refused wherever the CRD does not preserve them. */
    private static JsonSchema strimziSchema(String crd) {
        try {
            JsonNode definition = YAML.readTree(KubernetesManifestsIT.class.getResource("/schemas/strimzi-1.2.0/" + crd));
            JsonNode schema = null;
            for (JsonNode version : definition.at("/spec/versions")) {
                if (version.path("name").asText().equals("v1")) {
                    schema = version.at("/schema/openAPIV3Schema").deepCopy();
                }
            }
            assertThat(schema).as(crd + " serves v1").isNotNull();
            strict(schema);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * additionalProperties: false on every object schema that lists its properties, unless it keeps
     * unknown fields; not on the alternatives of a oneOf/anyOf/allOf, which only add constraints.
     */
    private static void strict(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                object.put("additionalProperties", false);
            }
            object.fields().forEachRemaining(e -> {
                if (List.of("oneOf", "anyOf", "allOf", "not").contains(e.getKey())) {
                    e.getValue().forEach(alternative -> alternative.forEach(KubernetesManifestsIT::strict));
                } else {
                    strict(e.getValue());
                }
            });
        } else if (schema != null && schema.isArray()) {
            schema.forEach(KubernetesManifestsIT::strict);
        }
    }

    private static void collectSecretNames(JsonNode node, List<String> names) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("secretName")) {
                    names.add(e.getValue().asText());
                } else if ((e.getKey().equals("credentials") || e.getKey().equals("secret")) && e.getValue().has("name")) {
                    names.add(e.getValue().get("name").asText());
                }
                collectSecretNames(e.getValue(), names);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectSecretNames(n, names));
        }
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static <T> T model(String file, Class<T> type) throws IOException {
        return MODEL.convertValue(YAML.readTree(CONTROL_API.resolve(file).toFile()), type);
    }

    private static boolean onPath(String command) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
