package io.tidemark.control.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.tidemark.control.api.Json;
import io.tidemark.sink.iteration.InitialLoad;

/** A project's status for people: a header, the connectors, the tables, the iterations, the license. */
final class StatusText {

    private StatusText() {
    }

    static String render(JsonNode s) {
        StringBuilder out = new StringBuilder();
        out.append("project ").append(s.path("project").asText()).append(": ").append(s.path("state").asText())
                .append("   (control schema ").append(s.path("controlSchema").asText()).append(", desired ")
                .append(text(s, "desiredState")).append(", accepted ").append(text(s, "acceptedState")).append(")\n");
        if (s.hasNonNull("refusal")) {
            out.append("last refusal: ").append(s.get("refusal").asText()).append('\n');
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CONNECTOR", "ROLE", "STATE", "TASKS", "WORKER"});
        for (JsonNode c : s.path("connectors")) {
            List<String> tasks = new ArrayList<>();
            c.path("tasks").forEach(t -> tasks.add(t.path("id").asText() + ":" + t.path("state").asText()));
            rows.add(new String[] {c.path("name").asText(), c.path("role").asText(), c.path("state").asText(),
                    tasks.isEmpty() ? "-" : String.join(" ", tasks), text(c, "workerId")});
        }
        out.append('\n').append(table(rows));
        for (JsonNode c : s.path("connectors")) {
            for (JsonNode t : c.path("tasks")) {
                if (t.hasNonNull("trace")) {
                    out.append(c.path("name").asText()).append(" task ").append(t.path("id").asText()).append(": ")
                            .append(t.get("trace").asText().lines().findFirst().orElse("")).append('\n');
                }
            }
        }
        out.append('\n').append(tables(s.path("tables"))).append(load(s)).append(bulkLoad(s.path("bulkLoad")));
        JsonNode cur = s.path("currentIteration");
        if (!cur.isMissingNode() && !cur.isNull()) {
            out.append("\ncurrent iteration ").append(cur.path("iteration").asText()).append(": ")
                    .append(cur.path("status").asText()).append(", ").append(cur.path("tablesCompleted").asText())
                    .append(" of ").append(text(cur, "tablesTotal")).append(" tables past the marker");
            if (cur.hasNonNull("progress")) {
                out.append(" (").append(Math.round(cur.get("progress").asDouble() * 100)).append(" %)");
            }
            out.append(", ").append(cur.path("upserted").asLong()).append(" upserted, ").append(cur.path("deleted").asLong())
                    .append(" deleted").append(cur.hasNonNull("waitingFor") ? "; waiting for " + cur.get("waitingFor").asText() : "")
                    .append('\n');
        }
        JsonNode done = s.path("completed");
        if (!done.isMissingNode() && !done.isNull()) {
            out.append("completed: ").append(done.path("count").asLong()).append(" iterations (last ")
                    .append(done.path("lastIteration").asLong()).append("), ").append(done.path("upserted").asLong())
                    .append(" upserted, ").append(done.path("deleted").asLong()).append(" deleted, ")
                    .append(DataSize.format(done.path("bytes").asLong())).append(", over ").append(text(done, "totalSeconds"))
                    .append(" s; last applied ").append(text(done, "lastAppliedAt")).append('\n');
        }
        JsonNode l = s.path("license");
        if (!l.isMissingNode() && !l.isNull()) {
            out.append("license: ").append(l.path("state").asText()).append(", ")
                    .append(DataSize.format(l.path("usedBytes").asLong())).append(" used");
            if (l.hasNonNull("maxBytes")) {
                out.append(" of ").append(DataSize.format(l.get("maxBytes").asLong())).append(" (")
                        .append(DataSize.format(l.path("availableBytes").asLong())).append(" available)");
            }
            out.append(l.hasNonNull("warning") ? "; " + l.get("warning").asText() : "").append('\n');
        }
        for (JsonNode p : s.path("problems")) {
            out.append("problem: ").append(p.asText()).append('\n');
        }
        return out.toString();
    }

    static String tables(JsonNode tables) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TABLE", "TARGET", "STATUS", "MODE", "ITERATION", "LAG", "LAST ERROR / REFUSAL"});
        for (JsonNode t : tables) {
            String note = t.hasNonNull("lastError") ? t.get("lastError").asText()
                    : t.hasNonNull("refusal") ? t.get("refusal").asText() : "";
            rows.add(new String[] {t.path("sourceTable").asText(), t.path("targetTable").asText(), t.path("status").asText(),
                    t.path("mode").asText(), text(t, "iteration"), text(t, "lagRecords"), note});
        }
        return rows.size() == 1 ? "no tables yet\n" : table(rows);
    }

    /** The bulk load's tables while it runs or after it failed: rows, pace, ETA, or the error. */
    static String bulkLoad(JsonNode tables) {
        List<String[]> rows = new ArrayList<>();
        for (JsonNode t : tables) {
            String figures;
            if (t.hasNonNull("error")) {
                figures = t.get("error").asText();
            } else {
                figures = String.format(java.util.Locale.ROOT, "%,d of %s rows  %s rows/s  ETA %s",
                        t.path("rowsLoaded").asLong(), t.hasNonNull("rowsEstimated")
                                ? String.format(java.util.Locale.ROOT, "~%,d", t.get("rowsEstimated").asLong()) : "unknown",
                        t.hasNonNull("rowsPerSecond") ? String.format(java.util.Locale.ROOT, "%,.0f",
                                t.get("rowsPerSecond").asDouble()) : "-",
                        t.hasNonNull("etaSeconds") ? t.get("etaSeconds").asLong() + " s" : "-");
            }
            rows.add(new String[] {t.path("sourceTable").asText(), "bulk load " + t.path("state").asText(), figures});
        }
        return rows.isEmpty() ? "" : "\n" + table(rows);
    }

    /** A line per table still in its initial load, and their sum; nothing once every table completed an iteration. */
    static String load(JsonNode s) {
        List<String[]> rows = new ArrayList<>();
        for (JsonNode t : s.path("tables")) {
            if (t.hasNonNull("load")) {
                rows.add(new String[] {t.path("sourceTable").asText(), "loading", figures(t.get("load")).describe()});
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        if (rows.size() > 1 && s.hasNonNull("load")) {
            rows.add(new String[] {"all " + rows.size() + " tables", "loading", figures(s.get("load")).describe()});
        }
        return "\n" + table(rows);
    }

    private static InitialLoad.Figures figures(JsonNode load) {
        try {
            return Json.MAPPER.treeToValue(load, InitialLoad.Figures.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the API's load figures cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : "-";
    }

    /** Columns padded to their widest cell; the last column is not padded. */
    static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
            }
            sb.append('\n');
        }
        return sb.toString().replaceAll(" +\n", "\n");
    }
}
