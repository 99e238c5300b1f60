package io.tidemark.control.api.routes;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.api.Exchange;

/** The projects a server serves, and the one a request names (404 listing the others). */
public final class ServedProjects {

    private final Map<String, ProjectServices> projects;

    public ServedProjects(Map<String, ProjectServices> projects) {
        this.projects = projects;
    }

    public ProjectServices of(Exchange x) {
        String name = x.var("project");
        ProjectServices p = projects.get(name);
        if (p == null) {
            throw ControlException.notFound("no project '" + name + "' (the API serves: " + String.join(", ",
                    projects.keySet()) + ")");
        }
        return p;
    }

    public Collection<ProjectServices> all() {
        return projects.values();
    }

    public List<String> names() {
        return List.copyOf(projects.keySet());
    }
}
