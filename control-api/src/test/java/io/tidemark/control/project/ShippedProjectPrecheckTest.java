package io.tidemark.control.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tidemark.control.ProjectServices;
import io.tidemark.control.actions.Precheck;
import io.tidemark.sink.control.ControlSchema;
import io.tidemark.testkit.PostgresTestDatabase;

/**
 * The quickstart's project, loaded with the environment it is given, runs the precheck's target and
 * table checks against a real target database: its sink file takes {@code connection.url} from
 * {@code ${env:...}}, which the sink's configuration accepts only once resolved. Connect is not
 * there (nothing listens on the URL), so the precheck says so and checks the databases.
 */
class ShippedProjectPrecheckTest {

    private static PostgresTestDatabase target;

    @BeforeAll
    static void createTarget() throws Exception {
        target = PostgresTestDatabase.create("precheck_demo");
        try (Connection c = target.connect()) {
            new ControlSchema("tidemark").ensure(c);
        }
        target.execute("CREATE SCHEMA shop",
                "CREATE TABLE shop.orders (id int PRIMARY KEY, total numeric NOT NULL, note text)",
                "INSERT INTO tidemark.table_state (project, source_table, target_table, status, topic)"
                        + " VALUES ('demo', 'shop.orders', 'shop.orders', 'RUNNING', 'demo.shop.orders'),"
                        + " ('demo', 'shop.customers', 'shop.customers', 'RUNNING', 'demo.shop.customers')");
    }

    @AfterAll
    static void dropTarget() {
        if (target != null) {
            target.close();
        }
    }

    private static Project demo(Map<String, String> env) {
        return new ProjectFiles(new Secrets(env)).load(ShippedProjectsTest.PROJECTS.resolve("demo/project.json"));
    }

    private static Map<String, String> environment() {
        Map<String, String> env = ShippedProjectsTest.quickstartEnvironment();
        env.put("TIDEMARK_DEMO_CONNECT_URL", "http://127.0.0.1:1");
        env.put("TIDEMARK_DEMO_TARGET_URL", target.jdbcUrl());
        env.put("TIDEMARK_DEMO_PG_HOST", target.host());
        env.put("TIDEMARK_DEMO_PG_PORT", Integer.toString(target.port()));
        env.put("TIDEMARK_DEMO_PG_USER", target.user());
        env.put("TIDEMARK_DEMO_PG_PASSWORD", target.password());
        env.put("TIDEMARK_DEMO_SOURCE_DB", target.name());
        return env;
    }

    @Test
    void theQuickstartsProjectChecksItsTablesInTheTarget() {
        Map<String, String> env = environment();
        Precheck.Result result;
        try (ProjectServices p = ProjectServices.of(demo(env), env)) {
            result = new Precheck(p).run();
        }
        Map<String, Precheck.Check> checks = new java.util.LinkedHashMap<>();
        result.checks().forEach(c -> checks.put(c.name(), c));
        assertThat(checks.keySet()).containsExactly("connect", "target database", "table shop.customers",
                "table shop.orders", "source database");
        assertThat(checks.get("connect").ok()).isFalse();
        assertThat(checks.get("target database").ok()).as(checks.get("target database").detail()).isTrue();
        assertThat(checks.get("target database").detail()).endsWith("control schema tidemark exists");
        assertThat(checks.get("table shop.orders").ok()).isTrue();
        assertThat(checks.get("table shop.orders").detail()).startsWith("shop.orders exists with 3 columns and a key")
                .contains("NOT NULL without default: id, total");
        assertThat(checks.get("table shop.customers").ok()).isTrue();
        assertThat(checks.get("table shop.customers").detail()).startsWith("shop.customers does not exist yet");
        assertThat(checks.get("source database").ok()).isTrue();
        assertThat(result.ok()).isFalse();
    }
}
