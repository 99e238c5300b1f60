package io.tidemark.control.status;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.control.ControlException;
import io.tidemark.control.ProjectServices;
import io.tidemark.control.project.DatabasePool;

/**
 * {@code GET /ready}: whether the API can do its work, that is whether each project's Connect
 * cluster and control schema's database answer. Checked in the background ({@link BackgroundReads}),
 * so a probe answers at once; {@code /health} says only that the process serves.
 */
public final class Readiness {

    /** What a probe gets: ready or not, why not, and when each project was checked. */
    public record Answer(boolean ready, Map<String, List<String>> problems, Map<String, Instant> checkedAt) {
    }

    private Readiness() {
    }

    /** The problems of one project now: empty when Connect and the target both answer. */
    public static List<String> check(ProjectServices p) {
        List<String> problems = new ArrayList<>();
        try {
            p.connect().version();
        } catch (ControlException e) {
            problems.add("Connect: " + e.getMessage());
        }
        try (Connection c = p.target()) {
            if (!c.isValid(2)) {
                problems.add("the target database does not answer");
            }
        } catch (ControlException e) {
            problems.add(e.getMessage());
        } catch (SQLException e) {
            problems.add("the target database: " + DatabasePool.describe(e));
        }
        return problems;
    }

    /** Ready when every project was checked lately and had no problem. */
    public static Answer of(List<String> projects, Map<String, BackgroundReads.Latest<List<String>>> checks,
                            java.time.Duration maxAge) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Map<String, Instant> at = new LinkedHashMap<>();
        for (String name : projects) {
            BackgroundReads.Latest<List<String>> l = checks.get(name);
            if (l == null || l.value() == null) {
                problems.put(name, List.of("not checked yet"));
                continue;
            }
            at.put(name, l.at());
            if (l.at().isBefore(Instant.now().minus(maxAge))) {
                problems.put(name, List.of("the last check that finished is from " + l.at() + ": checks since took longer "
                        + "than their time budget"));
            } else if (!l.value().isEmpty()) {
                problems.put(name, l.value());
            }
        }
        return new Answer(problems.isEmpty(), problems, at);
    }
}
