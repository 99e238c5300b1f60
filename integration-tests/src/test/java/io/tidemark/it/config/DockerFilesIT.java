package io.tidemark.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * docker/ cannot run here (no Docker engine), so it is checked for what can rot without running
 * it: every file the Dockerfile and the compose file reference exists, versions are the build's,
 * and the paths inside the image are the ones the plugin ZIPs and the worker file use.
 */
class DockerFilesIT {

    private static final Pattern ARG = Pattern.compile("(?m)^ARG (\\w+)=(\\S+)$");
    private static final Pattern COPY = Pattern.compile("(?m)^COPY (?!--from)(.+) (\\S+)$");
    private static final Pattern ADD_URL = Pattern.compile("(?s)ADD [^\\n]*?\\\\\\n\\s+(https://\\S+) \\\\\\n\\s+(\\S+)");
    private static final Pattern SECRET = Pattern.compile("\\$\\{file:/mnt/tidemark/secrets\\.properties:([^}]+)}");

    private final String dockerfile = read(ShippedFiles.path("docker/Dockerfile"));
    private final Map<String, String> args = args(dockerfile);

    @Test
    void theDockerfileCopiesWhatTheBuildMakesToWhereTheWorkerLooks() throws IOException {
        assertThat(args).containsEntry("TIDEMARK_VERSION", ShippedFiles.VERSION)
                .containsEntry("KAFKA_VERSION", System.getProperty("tidemark.kafka.version"));
        List<String> sources = copySources(dockerfile);
        assertThat(sources).contains("connector-source/target/tidemark-connector-source-" + ShippedFiles.VERSION + ".zip",
                "connector-sink/target/tidemark-connector-sink-" + ShippedFiles.VERSION + ".zip",
                "apicurio-converter/target/tidemark-apicurio-converter-" + ShippedFiles.VERSION + ".zip",
                "config/worker/connect-distributed.properties", "docker/connect-entrypoint.sh", "docker/connect-properties.sh");
        // The build context is the repository: every source must be there once the build ran.
        sources.forEach(source -> assertThat(ShippedFiles.path(source)).as("COPY " + source).exists());

        // Plugins land in /opt/kafka/plugins, the worker file's plugin.path; each ZIP holds one
        // directory, <name>-<version>/, into whose lib/ the Dockerfile puts Oracle's driver.
        assertThat(dockerfile).contains("COPY --from=plugins /plugins/ /opt/kafka/plugins/");
        Properties worker = ShippedFiles.properties("config/worker/connect-distributed.properties");
        assertThat(worker.getProperty("plugin.path")).isEqualTo("/opt/kafka/plugins");
        String sourceDir = topDirectory(ShippedFiles.path("connector-source/target/tidemark-connector-source-" + ShippedFiles.VERSION + ".zip"));
        assertThat(sourceDir).isEqualTo("tidemark-connector-source-" + ShippedFiles.VERSION);
        assertThat(topDirectory(ShippedFiles.path("connector-sink/target/tidemark-connector-sink-" + ShippedFiles.VERSION + ".zip")))
                .isEqualTo("tidemark-connector-sink-" + ShippedFiles.VERSION);
        Matcher add = ADD_URL.matcher(dockerfile);
        assertThat(add.find()).as("the ADD of Oracle's driver").isTrue();
        String ojdbc = System.getProperty("tidemark.ojdbc.version");
        assertThat(add.group(1)).endsWith("/ojdbc11/" + ojdbc + "/ojdbc11-" + ojdbc + ".jar");
        assertThat(expand(add.group(2), args)).isEqualTo("/plugins/" + sourceDir + "/lib/");
        assertThat(dockerfile).contains("ENTRYPOINT [\"/bin/sh\", \"/opt/tidemark/connect-entrypoint.sh\"]")
                .contains("RUN /opt/kafka/bin/connect-plugin-path.sh sync-manifests --plugin-path /opt/kafka/plugins");
        assertHardened(dockerfile, "appuser");
    }

    /** Exact base image versions, a non-root user for what runs, a HEALTHCHECK, OCI source and revision labels. */
    private static void assertHardened(String dockerfile, String user) {
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
        Map<String, String> args = args(dockerfile);
        while (from.find()) {
            String image = expand(from.group(1), args);
            assertThat(image).as("FROM " + image + ": pinned by digest or an exact version")
                    .matches(".+@sha256:[0-9a-f]{64}|[^:]+:\\d+\\.\\d+\\.\\d+[^:]*");
        }
        List<String> users = new ArrayList<>();
        Matcher u = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
        while (u.find()) {
            users.add(u.group(1));
        }
        assertThat(users).as("the last USER runs the container").isNotEmpty().last().isEqualTo(user);
        assertThat(dockerfile).contains("HEALTHCHECK ", "org.opencontainers.image.source=",
                "org.opencontainers.image.revision=\"${REVISION}\"");
    }

    /** Both Dockerfiles pass dockerfile-utils' lint (instructions, flags, ports, durations), installed by bin/test. */
    @Test
    void bothDockerfilesPassTheLinter() throws Exception {
        Path lint = ShippedFiles.path("docker/lint/node_modules/.bin/dockerfile-utils");
        assertThat(lint).as("the linter: npm ci --prefix docker/lint (bin/test runs it)").isExecutable();
        for (String dockerfile : List.of("docker/Dockerfile", "docker/Dockerfile.control-api")) {
            Process p = new ProcessBuilder(lint.toString(), "lint", ShippedFiles.path(dockerfile).toString())
                    .redirectErrorStream(true).start();
            String report = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(dockerfile + ":\n" + report).isZero();
            assertThat(report).as(dockerfile).isBlank();
        }
    }

    /** The entrypoint's names for CONNECT_* variables, as Confluent's images document them. */
    @Test
    void connectVariablesBecomeWorkerSettingsAsConfluentNamesThem() throws Exception {
        Path shipped = ShippedFiles.path("config/worker/connect-distributed.properties");
        Path target = Files.createTempFile("connect", ".properties");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", ShippedFiles.path("docker/connect-properties.sh").toString(),
                shipped.toString(), target.toString());
        pb.environment().put("CONNECT_BOOTSTRAP_SERVERS", "kafka:9092");
        pb.environment().put("CONNECT_CONFIG_PROVIDERS_FILE_PARAM_ALLOWED__PATHS", "/ignored");
        pb.environment().put("CONNECT_CONNECTOR_CLIENT_CONFIG_OVERRIDE_ALLOWLIST", "max.poll.records");
        pb.environment().put("CONNECT_SOME___DASHED__KEY_X", "v=1");
        Process p = pb.inheritIO().start();
        assertThat(p.waitFor()).isZero();
        Properties worker = new Properties();
        try (var in = Files.newBufferedReader(target)) {
            worker.load(in);
        }
        assertThat(worker).containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("config.providers.file.param.allowed_paths", "/ignored")
                .containsEntry("connector.client.config.override.allowlist", "max.poll.records")
                .containsEntry("some-dashed_key.x", "v=1")
                // the shipped lines are still there, the variables only add to them
                .containsEntry("config.providers.file.param.allowed.paths", "/mnt/tidemark");
        Files.delete(target);
    }

    @Test
    void theComposeFileReferencesWhatExistsAndRunsTheImageOfThisVersion() {
        Path compose = ShippedFiles.path("docker/compose.yaml");
        JsonNode services = ShippedFiles.yaml(compose).get("services");
        assertThat(services.fieldNames()).toIterable().contains("kafka", "connect", "oracle", "postgres", "apicurio", "connectors");
        services.fields().forEachRemaining(service -> {
            JsonNode s = service.getValue();
            assertThat(s.path("image").asText()).as(service.getKey() + ": a pinned image").matches("[^:]+:[^:]+")
                    .doesNotEndWith(":latest");
            s.path("volumes").forEach(volume -> {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(compose.getParent().resolve(source).normalize()).as(service.getKey() + " mounts " + source).exists();
                }
            });
            dependencies(s).forEach(dependency -> assertThat(services.has(dependency))
                    .as(service.getKey() + " depends on " + dependency).isTrue());
        });
        JsonNode connect = services.get("connect");
        assertThat(compose.getParent().resolve(connect.at("/build/context").asText()).resolve(connect.at("/build/dockerfile").asText())
                .normalize()).isEqualTo(ShippedFiles.path("docker/Dockerfile"));
        assertThat(connect.path("image").asText()).isEqualTo("tidemark/connect:" + ShippedFiles.VERSION);
        assertThat(services.at("/kafka/image").asText()).isEqualTo("apache/kafka:" + System.getProperty("tidemark.kafka.version"));
        assertThat(services.at("/oracle/image").asText()).startsWith("gvenzl/oracle-free:");

        // The erp files' secrets are where the compose file mounts them, with every key they name.
        assertThat(connect.path("volumes").toString()).contains(":/mnt/tidemark/secrets.properties:ro");
        Properties secrets = ShippedFiles.properties("docker/local-secrets.properties");
        for (Path file : ShippedFiles.files("config/connectors/erp", ".json")) {
            ShippedFiles.connectorFile(file).values().forEach(value -> assertHoldsEverySecretOf(secrets, file.toString(), value));
        }
        // The sink of erp writes into the compose file's PostgreSQL, as its user.
        Map<String, String> sink = ShippedFiles.connectorFile(ShippedFiles.path("config/connectors/erp/erp-sink.json"));
        JsonNode postgres = services.at("/postgres/environment");
        assertThat(sink.get("connection.user")).isEqualTo(postgres.path("POSTGRES_USER").asText());
        assertThat(sink.get("connection.url")).endsWith("/" + postgres.path("POSTGRES_DB").asText());
        assertThat(secrets.getProperty("pg.password")).isEqualTo(postgres.path("POSTGRES_PASSWORD").asText());
    }

    /**
     * gvenzl's healthcheck.sh only says the PDB is open, which it is before the init scripts have
     * created the connector's user and the SHOP schema (and again while setup-logminer.sh restarts
     * the database). Connect, and the registration of the erp connectors, must wait for the scripts.
     */
    @Test
    void theOracleServiceIsHealthyOnlyOnceItsInitScriptsRan() throws IOException {
        Path compose = ShippedFiles.path("docker/compose.yaml");
        JsonNode oracle = ShippedFiles.yaml(compose).at("/services/oracle");
        Map<String, Path> initScripts = new java.util.TreeMap<>(); // run in the order of their names
        oracle.path("volumes").forEach(volume -> {
            String[] parts = volume.asText().split(":");
            if (parts[1].startsWith("/container-entrypoint-initdb.d/")) {
                initScripts.put(parts[1].substring("/container-entrypoint-initdb.d/".length()),
                        compose.getParent().resolve(parts[0]).normalize());
            }
        });
        assertThat(initScripts).isNotEmpty();
        Map.Entry<String, Path> last = ((java.util.TreeMap<String, Path>) initScripts).lastEntry();
        String lastScript = read(last.getValue());
        Matcher touched = Pattern.compile("touch (\\S+)").matcher(lastScript);
        assertThat(touched.find()).as("the last init script, " + last.getKey() + ", touches a file when all ran").isTrue();
        assertThat(last.getKey()).endsWith(".sh");
        assertThat(Files.isExecutable(last.getValue())).as(last.getValue() + " is executable (gvenzl sources it otherwise)").isTrue();

        String healthcheck = oracle.at("/healthcheck/test").toString();
        assertThat(healthcheck).as("the oracle healthcheck").contains("healthcheck.sh").contains(touched.group(1));
        assertThat(oracle.at("/healthcheck/start_period").asText()).as("time for the init scripts").isNotEmpty();
        assertThat(ShippedFiles.yaml(compose).at("/services/connect/depends_on/oracle/condition").asText())
                .isEqualTo("service_healthy");
    }

    @Test
    void theControlApiServesTheErpProjectFromTheMountedConfiguration() {
        Path compose = ShippedFiles.path("docker/compose.yaml");
        JsonNode services = ShippedFiles.yaml(compose).get("services");
        JsonNode api = services.get("control-api");
        assertThat(api).as("a control-api service").isNotNull();
        Path apiDockerfile = compose.getParent().resolve(api.at("/build/context").asText())
                .resolve(api.at("/build/dockerfile").asText()).normalize();
        assertThat(apiDockerfile).isEqualTo(ShippedFiles.path("docker/Dockerfile.control-api"));
        assertThat(api.path("image").asText()).isEqualTo("tidemark/control-api:" + ShippedFiles.VERSION);
        String dockerfile = read(apiDockerfile);
        assertThat(args(dockerfile)).containsEntry("TIDEMARK_VERSION", ShippedFiles.VERSION);
        copySources(dockerfile).forEach(source -> assertThat(ShippedFiles.path(source)).as("COPY " + source).exists());
        assertThat(dockerfile).contains("control-api/target/lib/", "control-api/target/classes/",
                "io.tidemark.control.cli.TidemarkCli");
        assertHardened(dockerfile, "10001:10001");
        // Oracle's driver is never shipped (docs/oracle.md): not among the jars the image copies.
        try (var jars = Files.list(ShippedFiles.path("control-api/target/lib"))) {
            assertThat(jars.map(j -> j.getFileName().toString())).as("control-api/target/lib")
                    .isNotEmpty().noneMatch(name -> name.startsWith("ojdbc"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        // serve --projects names a directory of the mounted config/, with the token file mounted where it is read.
        Map<String, String> mounts = new java.util.HashMap<>();
        api.path("volumes").forEach(v -> {
            String[] parts = v.asText().split(":");
            mounts.put(parts[1], parts[0]);
        });
        List<String> command = new ArrayList<>();
        api.path("command").forEach(c -> command.add(c.asText()));
        String projects = command.get(command.indexOf("--projects") + 1);
        assertThat(projects).startsWith("/etc/tidemark/config/");
        Path projectDir = compose.getParent().resolve(mounts.get("/etc/tidemark/config"))
                .resolve(projects.substring("/etc/tidemark/config/".length())).normalize();
        assertThat(projectDir.resolve("project.json")).isEqualTo(ShippedFiles.path("config/projects/erp/project.json"));
        String tokens = command.get(command.indexOf("--tokens-file") + 1);
        assertThat(compose.getParent().resolve(mounts.get(tokens)).normalize()).exists();
        assertThat(mounts).containsKey("/mnt/tidemark/secrets.properties");

        // The descriptor names the compose file's Connect and Kafka, and the secrets it mounts.
        JsonNode erp = ShippedFiles.json(ShippedFiles.path("config/projects/erp/project.json"));
        assertThat(erp.at("/connect/urls/0").asText()).isEqualTo("http://connect:8083");
        assertThat(services.at("/connect/ports/0").asText()).endsWith(":8083");
        assertThat(erp.at("/kafka/bootstrap.servers").asText()).isEqualTo(
                services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText().replace("PLAINTEXT://", ""));
        assertHoldsEverySecretOf(ShippedFiles.properties("docker/local-secrets.properties"), "project.json", erp.toString());
    }

    /** Every key a {@code ${file:/mnt/tidemark/secrets.properties:<key>}} placeholder in {@code text} names is in {@code secrets}. */
    private static void assertHoldsEverySecretOf(Properties secrets, String who, String text) {
        Matcher m = SECRET.matcher(text);
        while (m.find()) {
            assertThat(secrets.stringPropertyNames()).as(who + " needs " + m.group(1)).contains(m.group(1));
        }
    }

    private static List<String> dependencies(JsonNode service) {
        List<String> names = new ArrayList<>();
        JsonNode dependsOn = service.path("depends_on");
        if (dependsOn.isArray()) {
            dependsOn.forEach(d -> names.add(d.asText()));
        } else {
            dependsOn.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /** The sources of the Dockerfile's COPY instructions (not those from a build stage), its own ARGs expanded. */
    private static List<String> copySources(String dockerfile) {
        Map<String, String> args = args(dockerfile);
        List<String> sources = new ArrayList<>();
        Matcher copy = COPY.matcher(dockerfile);
        while (copy.find()) {
            for (String source : copy.group(1).trim().split("\\s+")) {
                sources.add(expand(source, args));
            }
        }
        return sources;
    }

    private static String expand(String text, Map<String, String> args) {
        String result = text;
        for (Map.Entry<String, String> arg : args.entrySet()) {
            result = result.replace("${" + arg.getKey() + "}", arg.getValue());
        }
        return result;
    }

    private static Map<String, String> args(String dockerfile) {
        Map<String, String> args = new HashMap<>();
        Matcher m = ARG.matcher(dockerfile);
        while (m.find()) {
            args.put(m.group(1), m.group(2));
        }
        return args;
    }

    private static String topDirectory(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.stream().map(e -> e.getName().split("/")[0]).distinct().reduce((a, b) -> a + "," + b).orElse("");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
