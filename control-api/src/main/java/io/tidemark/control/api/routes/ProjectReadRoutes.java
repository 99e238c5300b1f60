package io.tidemark.control.api.routes;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.Version;
import io.tidemark.control.actions.TableActions;
import io.tidemark.control.api.Exchange;
import io.tidemark.control.api.Routes;
import io.tidemark.control.auth.Scope;
import io.tidemark.control.project.DatabasePool;
import io.tidemark.control.status.ProjectStatus;
import io.tidemark.control.status.StatusReader;

/** What a {@code read} token may see of the projects: list, status, iterations, tables, audit. */
public final class ProjectReadRoutes implements Routes.Family {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ServedProjects projects;

    public ProjectReadRoutes(ServedProjects projects) {
        this.projects = projects;
    }

    @Override
    public void addTo(Routes routes) {
        routes.read("GET", "/projects", Scope.READ, x -> {
            List<Map<String, Object>> list = new ArrayList<>();
            projects.all().forEach(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", p.project().name());
                m.put("source", p.project().source().name());
                m.put("sink", p.project().sink().name());
                m.put("controlSchema", p.project().controlSchema());
                m.put("managedBy", p.project().strimzi() == null ? "connect-rest" : "strimzi");
                list.add(m);
            });
            x.json(200, list);
        });
        routes.read("GET", "/version", Scope.READ, x -> x.json(200, versions()));
        routes.read("GET", "/projects/{project}", Scope.READ, x -> x.json(200, StatusReader.read(projects.of(x))));
        routes.read("GET", "/projects/{project}/iterations", Scope.READ, x -> x.json(200,
                StatusReader.iterations(projects.of(x), limit(x))));
        routes.read("GET", "/projects/{project}/tables", Scope.READ, x -> x.json(200,
                StatusReader.read(projects.of(x)).tables()));
        routes.read("GET", "/projects/{project}/tables/{table}", Scope.READ, x -> {
            ProjectServices p = projects.of(x);
            String name = new TableActions(p).row(x.var("table")).sourceTable();
            ProjectStatus s = StatusReader.read(p);
            x.json(200, s.tables().stream().filter(t -> t.sourceTable().equals(name)).findFirst().orElseThrow());
        });
        routes.read("GET", "/projects/{project}/audit", Scope.READ, x -> {
            ProjectServices p = projects.of(x);
            try (Connection c = p.target()) {
                x.json(200, p.audit().newest(c, p.project().name(), limit(x)));
            } catch (SQLException e) {
                throw new ControlException(ControlException.Kind.UNAVAILABLE, "the audit cannot be read from "
                        + p.audit().table() + " (" + DatabasePool.describe(e) + ")");
            }
        });
    }

    /** The API's version, and per project its Connect cluster's and the version of each plugin the project runs. */
    private Map<String, Object> versions() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("api", Version.current());
        List<Map<String, Object>> list = new ArrayList<>();
        for (ProjectServices p : projects.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("project", p.project().name());
            try {
                m.put("connect", p.connect().version());
                List<String> classes = List.of(p.project().source().connectorClass(), p.project().sink().connectorClass());
                m.put("plugins", p.connect().connectorPluginVersions().stream()
                        .filter(plugin -> classes.contains(plugin.get("class"))).toList());
            } catch (ControlException e) {
                m.put("connect", null);
                m.put("plugins", List.of());
                m.put("problem", e.getMessage());
            }
            list.add(m);
        }
        answer.put("projects", list);
        return answer;
    }

    /** {@code ?limit=N}: 1 to 1000, 100 when not given. */
    static int limit(Exchange x) {
        String v = x.query("limit");
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ControlException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + v + "'");
    }
}
