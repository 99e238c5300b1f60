package io.tidemark.control.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class FinalVerificationTest {

    private static CutoverReport.VerifiedTable table(String name, String status, long differences) {
        return new CutoverReport.VerifiedTable(name, status, 10, "00000000000000ab", 7L, differences, null);
    }

    @Test
    void tablesOutOfSyncOrNotComparedStopTheCutoverInFlightDoNot() {
        CutoverReport.Verification v = new CutoverReport.Verification(3, "DIFFERENT", 7L, false, "…", List.of(
                table("depot.orders", "IN_SYNC", 0), table("depot.order_line", "DIFFERENT", 1),
                table("depot.customer", "IN_FLIGHT", 0), table("depot.region", "FAILED", 0)));
        assertThat(FinalVerification.outOfSync(v)).containsExactly("depot.order_line (different, 1 difference(s))",
                "depot.region (failed, 0 difference(s))");
    }

    @Test
    void tablesNeverVerifiedAreTheOnesTheCutoverScansWhole() {
        List<io.tidemark.control.verify.VerifyStore.Mark> marks = List.of(
                new io.tidemark.control.verify.VerifyStore.Mark("depot.orders", 6, 2, java.time.Instant.EPOCH));
        assertThat(FinalVerification.fullScans(List.of("depot.orders", "depot.order_line", "depot.customer"), marks))
                .containsExactly("depot.customer", "depot.order_line");
        assertThat(FinalVerification.fullScans(List.of("depot.orders"), marks)).isEmpty();
    }

    @Test
    void theReportSaysWhenTheOperatorWentOnPastDifferences() {
        CutoverReport.Verification v = new CutoverReport.Verification(3, "DIFFERENT", 7L, true, "2 of 3 tables in sync",
                List.of(table("depot.order_line", "DIFFERENT", 1)));
        assertThat(ReportMarkdown.verification(v)).startsWith("DIFFERENT at iteration 7 (run 3)").contains("--skip-verify");
        CutoverReport.Verification inSync = new CutoverReport.Verification(4, "IN_SYNC", 7L, true, "ok",
                List.of(table("depot.order_line", "IN_SYNC", 0)));
        assertThat(ReportMarkdown.verification(inSync)).doesNotContain("--skip-verify");
        assertThat(ReportMarkdown.verification(null)).startsWith("not run");
    }
}
