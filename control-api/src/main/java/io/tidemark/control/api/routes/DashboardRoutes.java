package io.tidemark.control.api.routes;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.tidemark.control.ControlException;
import io.tidemark.control.api.Exchange;
import io.tidemark.control.api.Routes;
import io.tidemark.control.auth.Scope;

/**
 * The migration dashboard (docs/dashboard.md): its page at {@code /}, its files at
 * {@code /dashboard/{file}} (uPlot's from its WebJar in the jar: nothing from a CDN), and
 * {@code /token}, which tells the page what the token it was given may do. The files need no token,
 * since a browser cannot send one when it loads a page; everything they show comes from the API's
 * routes, with the token the page asks for.
 */
public final class DashboardRoutes implements Routes.Family {

    static final String FILES = "io/tidemark/control/dashboard";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/%s/dist/%s";
    /** What the page loads of the WebJar, and nothing else of it. */
    private static final java.util.Set<String> UPLOT_FILES = java.util.Set.of("uPlot.iife.min.js", "uPlot.min.css");
    /** The page loads only from this origin, and is never framed. */
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "frame-ancestors 'none'";

    private final String uplotVersion = uplotVersion();

    @Override
    public void addTo(Routes routes) {
        routes.inline("GET", "/", null, x -> serve(x, "index.html"));
        routes.inline("GET", "/dashboard/{file}", null, x -> serve(x, x.var("file")));
        routes.inline("GET", "/token", Scope.READ, x -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", x.caller().name());
            m.put("scope", x.caller().scope().word());
            x.json(200, m);
        });
    }

    private void serve(Exchange x, String file) throws IOException {
        if (!file.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw ControlException.notFound("no file /dashboard/" + file);
        }
        String path = UPLOT_FILES.contains(file) ? UPLOT.formatted(uplotVersion, file) : FILES + "/" + file;
        byte[] body = Routes.resource(path, "/dashboard/" + file);
        x.setHeader("Content-Security-Policy", POLICY);
        x.setHeader("X-Content-Type-Options", "nosniff");
        x.setHeader("Cache-Control", "no-cache");
        x.send(200, Routes.contentType(file), body);
    }

    /** The WebJar's version, from the pom.properties it carries (the jar's path names it). */
    static String uplotVersion() {
        try (InputStream in = DashboardRoutes.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("uPlot's WebJar (org.webjars.npm:uplot) is missing from the class path: "
                        + "the dashboard's charts need it");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("reading uPlot's WebJar version: " + e.getMessage(), e);
        }
    }
}
