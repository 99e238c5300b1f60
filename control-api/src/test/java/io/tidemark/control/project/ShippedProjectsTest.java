package io.tidemark.control.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The project descriptors in {@code config/projects/} load with the connector files they name: the
 * quickstart's with the environment it gives the control API, the production example up to the
 * secret file only its hosts have.
 */
class ShippedProjectsTest {

    static final Path PROJECTS = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent()
            .resolve("config/projects");

    static Map<String, String> quickstartEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("TIDEMARK_DEMO_CONNECT_URL", "http://127.0.0.1:18083/");
        env.put("TIDEMARK_DEMO_KAFKA", "127.0.0.1:19092");
        env.put("TIDEMARK_DEMO_PG_HOST", "127.0.0.1");
        env.put("TIDEMARK_DEMO_PG_PORT", "5432");
        env.put("TIDEMARK_DEMO_PG_USER", "postgres");
        env.put("TIDEMARK_DEMO_PG_PASSWORD", "secret");
        env.put("TIDEMARK_DEMO_SOURCE_DB", "tidemark_quickstart_source");
        env.put("TIDEMARK_DEMO_SLOT", "tidemark_quickstart_source");
        env.put("TIDEMARK_DEMO_TARGET_URL", "jdbc:postgresql://127.0.0.1:5432/tidemark_quickstart_target");
        return env;
    }

    @Test
    void theQuickstartsProjectLoadsWithTheEnvironmentItIsGiven() {
        Project demo = new ProjectFiles(new Secrets(quickstartEnvironment())).load(PROJECTS.resolve("demo/project.json"));
        assertThat(demo.name()).isEqualTo("demo");
        assertThat(demo.connect().urls()).containsExactly(URI.create("http://127.0.0.1:18083"));
        assertThat(demo.source().name()).isEqualTo("demo-source");
        assertThat(demo.sink().name()).isEqualTo("demo-sink");
        assertThat(demo.controlProject()).isEqualTo("demo");
        assertThat(demo.controlSchema()).isEqualTo("tidemark");
        assertThat(demo.targetDatabase().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/tidemark_quickstart_target");
        assertThat(demo.sourceDatabase().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/tidemark_quickstart_source");
        assertThat(demo.sourceDatabase().password()).isEqualTo("secret");
        assertThat(demo.requestTable().stream()).isEqualTo("demo");
        assertThat(demo.kafka()).containsEntry("bootstrap.servers", "127.0.0.1:19092");
        // Connect is given the sink's file as it is; the precheck's view of the sink has it resolved.
        assertThat(demo.sink().get("connection.url", null)).isEqualTo("${env:TIDEMARK_DEMO_TARGET_URL}");
        assertThat(demo.sinkPrecheck().target("shop.orders").toString()).isEqualTo("shop.orders");
    }

    @Test
    void aMissingVariableIsNamed() {
        Map<String, String> env = quickstartEnvironment();
        env.remove("TIDEMARK_DEMO_CONNECT_URL");
        assertThatThrownBy(() -> new ProjectFiles(new Secrets(env)).load(PROJECTS.resolve("demo/project.json")))
                .isInstanceOf(ProjectException.class).hasMessageContaining("TIDEMARK_DEMO_CONNECT_URL is not set");
    }

    @Test
    void theOracleDemoProjectNamesItsOwnConnectors() {
        Map<String, String> env = quickstartEnvironment();
        for (String key : List.of("HOST", "PORT", "USER", "PASSWORD", "DATABASE", "PDB", "SCHEMA")) {
            env.put("TIDEMARK_DEMO_ORACLE_" + key, key.equals("PORT") ? "1521" : "x" + key.toLowerCase());
        }
        Project demo = new ProjectFiles(new Secrets(env)).load(PROJECTS.resolve("demo-oracle/project.json"));
        assertThat(demo.source().name()).isEqualTo("demo-oracle-source");
        assertThat(demo.sink().name()).isEqualTo("demo-oracle-sink");
        assertThat(demo.controlProject()).isEqualTo("demo-oracle");
        assertThat(demo.sourceDatabase().url()).startsWith("jdbc:oracle:thin:@//xhost:1521/");
    }

    @Test
    void theProductionExampleReadsItsSecretsFromTheMountedFile() {
        assertThatThrownBy(() -> new ProjectFiles(new Secrets(Map.of())).load(PROJECTS.resolve("erp/project.json")))
                .isInstanceOf(ProjectException.class).hasMessageContaining("/mnt/tidemark/secrets.properties");
    }
}
