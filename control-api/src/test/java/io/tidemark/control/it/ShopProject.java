package io.tidemark.control.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.project.Project;
import io.tidemark.control.project.ProjectFiles;
import io.tidemark.control.project.Secrets;
import io.tidemark.testkit.ConnectTestCluster;
import io.tidemark.testkit.PostgresTestDatabase;
import io.tidemark.testkit.TestLicenses;

/**
 * The project "shop" of src/test/resources/projects/shop written for a running pipeline: its
 * Connect cluster, its source and target databases, secrets kept out of its files (an environment
 * variable and a properties file), and the project loaded as the control API serves it.
 */
final class ShopProject {

    private ShopProject() {
    }

    /**
     * @param targetApiUrl the target as the control API reaches it (through a proxy in ControlApiIT)
     * @return the project's directory's projects, ready for a {@code ControlServer}
     */
    static Map<String, ProjectServices> services(ConnectTestCluster connect, PostgresTestDatabase source,
                                                 PostgresTestDatabase target, String targetApiUrl) throws Exception {
        return services(connect.connect().endpointForResource("").replaceAll("/$", ""), connect, source, target,
                targetApiUrl);
    }

    /** @param connectUrl the Connect REST URL the control API is given (one where nothing answers, say) */
    static Map<String, ProjectServices> services(String connectUrl, ConnectTestCluster connect,
                                                 PostgresTestDatabase source, PostgresTestDatabase target,
                                                 String targetApiUrl) throws Exception {
        Path projectDir = Files.createTempDirectory("tidemark-projects").resolve("shop");
        Files.createDirectories(projectDir);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("@CONNECT_URL@", connectUrl);
        values.put("@BOOTSTRAP@", connect.bootstrapServers());
        values.put("@SOURCE_HOST@", source.host());
        values.put("@SOURCE_PORT@", Integer.toString(source.port()));
        values.put("@SOURCE_USER@", source.user());
        values.put("@SOURCE_PASSWORD@", source.password());
        values.put("@SOURCE_DB@", source.name());
        values.put("@TARGET_URL@", target.jdbcUrl());
        values.put("@TARGET_API_URL@", targetApiUrl);
        values.put("@PROJECT_DIR@", projectDir.toString());
        values.put("@TARGET_USER@", target.user());
        values.put("@TARGET_PASSWORD@", target.password());
        values.put("@LICENSE_KEY@", TestLicenses.generous("shop"));
        for (String file : List.of("project.json", "shop-source.json", "shop-sink.json")) {
            String text = new String(ShopProject.class.getResourceAsStream("/projects/shop/" + file).readAllBytes(),
                    StandardCharsets.UTF_8);
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace(v.getKey(), v.getValue());
            }
            Files.writeString(projectDir.resolve(file), text);
        }
        Files.writeString(projectDir.resolve("secrets.properties"), "target.password=" + target.password() + "\n");
        Secrets secrets = new Secrets(Map.of("TIDEMARK_IT_SOURCE_PASSWORD", source.password()));
        Map<String, Project> projects = new ProjectFiles(secrets).loadAll(projectDir.getParent());
        Map<String, ProjectServices> services = new LinkedHashMap<>();
        projects.forEach((name, p) -> services.put(name, ProjectServices.of(p, Map.of())));
        return services;
    }
}
