package io.tidemark.control.api.routes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.tidemark.control.api.Routes;
import io.tidemark.control.auth.Scope;
import io.tidemark.control.metrics.MetricsSnapshot;
import io.tidemark.control.metrics.PrometheusMetrics;
import io.tidemark.control.status.Readiness;

/**
 * The service's own routes, all answered from memory: {@code /health} (the process serves: a
 * liveness probe), {@code /ready} (each project's Connect and target answer: a readiness probe),
 * {@code /metrics} (the background snapshot) and the OpenAPI document.
 */
public final class ServiceRoutes implements Routes.Family {

    public static final String OPENAPI = "/io/tidemark/control/api/openapi.yaml";

    private final MetricsSnapshot metrics;
    private final Supplier<Readiness.Answer> readiness;

    public ServiceRoutes(MetricsSnapshot metrics, Supplier<Readiness.Answer> readiness) {
        this.metrics = metrics;
        this.readiness = readiness;
    }

    @Override
    public void addTo(Routes routes) {
        routes.inline("GET", "/health", null, x -> x.json(200, Map.of("status", "ok")));
        routes.inline("GET", "/ready", null, x -> {
            Readiness.Answer a = readiness.get();
            x.json(a.ready() ? 200 : 503, a);
        });
        routes.inline("GET", "/openapi.yaml", Scope.READ, x -> x.send(200, "application/yaml", openApi()));
        routes.inline("GET", "/openapi.json", Scope.READ, x -> x.json(200, new YAMLMapper().readTree(openApi())));
        routes.inline("GET", "/metrics", Scope.READ, x -> x.send(200, PrometheusMetrics.CONTENT_TYPE,
                metrics.text().getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] openApi() throws IOException {
        try (InputStream in = ServiceRoutes.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IOException(OPENAPI + " is missing from the control API's jar");
            }
            return in.readAllBytes();
        }
    }
}
