package io.tidemark.control.cutover;

import java.util.Map;

/** A cutover report as Markdown, for the change record. */
public final class ReportMarkdown {

    private ReportMarkdown() {
    }

    public static String render(CutoverReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# Cutover report: ").append(r.project()).append(" (").append(r.kind()).append(")\n\n")
                .append("- outcome: **").append(r.outcome()).append("** — ").append(r.message()).append('\n')
                .append("- started ").append(r.startedAt()).append(", finished ").append(r.finishedAt()).append('\n')
                .append("- the target equals the source at: ").append(r.finalIteration() == null ? "(no final iteration yet)"
                        : "final iteration " + r.finalIteration() + ", source position " + r.sourcePosition()).append('\n')
                .append("- license volume used: ").append(r.licenseUsedBytes() == null ? "(not metered yet)"
                        : r.licenseUsedBytes() + " bytes" + (r.licenseMaxBytes() == null ? "" : " of " + r.licenseMaxBytes()))
                .append('\n')
                .append("- final verification: ").append(verification(r.verification())).append("\n\n");
        md.append("## Steps\n\n| step | status | started | time (ms) | detail |\n|---|---|---|---:|---|\n");
        for (CutoverReport.StepTime s : r.steps()) {
            md.append("| ").append(s.step()).append(" | ").append(s.status()).append(" | ")
                    .append(s.startedAt() == null ? "" : s.startedAt()).append(" | ").append(s.millis()).append(" | ")
                    .append(cell(s.detail())).append(" |\n");
        }
        md.append("\n## Tables\n\n| source table | target table | rows | restored | failed | hand review |\n")
                .append("|---|---|---:|---|---:|---:|\n");
        for (CutoverReport.TableReport t : r.tables()) {
            md.append("| ").append(t.sourceTable()).append(" | ").append(t.targetTable()).append(" | ")
                    .append(t.rows() == null ? "" : t.rows()).append(" | ").append(restored(t.restored())).append(" | ")
                    .append(t.failed()).append(" | ").append(t.handReview()).append(" |\n");
        }
        if (r.verification() != null) {
            md.append("\n## Final verification (run ").append(r.verification().run()).append(")\n\n")
                    .append("| table | status | rows | checksum | iteration | differences |\n|---|---|---:|---|---:|---:|\n");
            r.verification().tables().forEach(t -> md.append("| ").append(t.table()).append(" | ").append(t.status())
                    .append(" | ").append(t.rows()).append(" | ").append(t.checksum() == null ? "" : t.checksum()).append(" | ")
                    .append(t.iteration() == null ? "" : t.iteration()).append(" | ").append(t.differences()).append(" |\n"));
        }
        if (!r.failures().isEmpty()) {
            md.append("\n## Failures\n\n");
            r.failures().forEach(f -> md.append("- **").append(f.table()).append("** (").append(f.step()).append(", ")
                    .append(f.what()).append("): ").append(f.error()).append("\n\n  ```sql\n  ").append(f.sql())
                    .append("\n  ```\n"));
        }
        if (!r.handReview().isEmpty()) {
            md.append("\n## For hand review (not restored)\n\n");
            r.handReview().forEach(h -> md.append("- ").append(h.table()).append(": ").append(cell(h.what())).append(" — ")
                    .append(h.reason()).append('\n'));
        }
        md.append("\n").append(r.inPlace().size()).append(" item(s) were in place already.\n");
        return md.toString();
    }

    /** One line: the outcome, its iteration, and whether the operator went on past differences. */
    public static String verification(CutoverReport.Verification v) {
        if (v == null) {
            return "not run (plan only, finalize, or the soft stop had not ended)";
        }
        boolean out = !FinalVerification.outOfSync(v).isEmpty();
        return v.status() + " at iteration " + v.iteration() + " (run " + v.run() + "): " + v.message()
                + (v.skipVerify() && out ? "; **went on past the tables out of sync (--skip-verify)**" : "");
    }

    private static String restored(Map<String, Integer> restored) {
        StringBuilder sb = new StringBuilder();
        restored.forEach((step, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(step).append(' ').append(n));
        return sb.toString();
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace('\n', ' ');
    }
}
