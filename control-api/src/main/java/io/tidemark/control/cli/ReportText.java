package io.tidemark.control.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** A cutover report for the terminal: outcome, position, each step's time, failures. */
final class ReportText {

    private ReportText() {
    }

    static String of(JsonNode r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.path("outcome").asText()).append(": ").append(r.path("message").asText()).append('\n');
        if (!r.path("finalIteration").isNull() && !r.path("finalIteration").isMissingNode()) {
            sb.append("the target equals the source at final iteration ").append(r.path("finalIteration").asLong())
                    .append(", source position ").append(r.path("sourcePosition").asText()).append('\n');
        }
        if (!r.path("licenseUsedBytes").isNull() && !r.path("licenseUsedBytes").isMissingNode()) {
            sb.append("license volume used: ").append(r.path("licenseUsedBytes").asLong()).append(" bytes\n");
        }
        JsonNode v = r.path("verification");
        if (v.isObject()) {
            sb.append("final verification: ").append(v.path("status").asText()).append(" at iteration ")
                    .append(v.path("iteration").asText()).append(" (run ").append(v.path("run").asLong()).append("): ")
                    .append(v.path("message").asText()).append(v.path("skipVerify").asBoolean() ? " [--skip-verify]" : "")
                    .append('\n');
            v.path("tables").forEach(t -> sb.append(String.format("  %-30s %-10s %8d rows  checksum %s  iteration %s%n",
                    t.path("table").asText(), t.path("status").asText(), t.path("rows").asLong(),
                    t.path("checksum").asText(""), t.path("iteration").asText(""))));
        } else {
            sb.append("final verification: not run\n");
        }
        r.path("steps").forEach(s -> sb.append(String.format("  %-26s %-14s %8d ms  %s%n", s.path("step").asText(),
                s.path("status").asText(), s.path("millis").asLong(), s.path("detail").asText(""))));
        r.path("tables").forEach(t -> sb.append(String.format("  %-30s -> %-30s %8s rows  restored %s%n",
                t.path("sourceTable").asText(), t.path("targetTable").asText(), t.path("rows").asText(""),
                t.path("restored").toString())));
        r.path("failures").forEach(f -> sb.append("FAILED ").append(f.path("table").asText()).append(" (")
                .append(f.path("step").asText()).append("): ").append(f.path("error").asText()).append("\n  ")
                .append(f.path("sql").asText()).append('\n'));
        r.path("handReview").forEach(h -> sb.append("hand review ").append(h.path("table").asText()).append(": ")
                .append(h.path("what").asText()).append(" -- ").append(h.path("reason").asText()).append('\n'));
        sb.append("report kept as ").append(r.path("id").asLong()).append(" (tidemark cutover-report ").append(r.path("project")
                .asText()).append(")\n");
        return sb.toString();
    }
}
