package io.tidemark.control.actions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every case of what start does for a project set for a bulk load (BulkLoadPipelineIT runs LOAD and two refusals). */
class BulkLoadDecisionTest {

    @ParameterizedTest(name = "marker 0 {0}, load completed {1}, request pending {2}, sink exists {3}, at rest {4}: {5}")
    @CsvSource({
            // a fresh project, or one whose sink waits STOPPED/PAUSED (GitOps), loads
            "false, false, false, false, false, LOAD",
            "false, false, false, true,  true,  LOAD",
            // a running sink before marker 0 would apply changes under the loaded rows
            "false, false, false, true,  false, REFUSE_SINK_RUNNING",
            // a completed load's request for marker 0 not yet handled: wait for it, load nothing
            "false, true,  true,  false, false, AWAIT_MARKER_ZERO",
            // a request made by hand before any load would become marker 0 before the load
            "false, false, true,  false, false, REFUSE_PENDING_REQUEST",
            // marker 0 after a completed load: an ordinary start from now on
            "true,  true,  false, true,  false, ORDINARY",
            "true,  true,  false, false, false, ORDINARY",
            // marker 0 with no load and no sink ever: iteration 0 closed without the rows
            "true,  false, false, false, false, REFUSE_MARKER_WITHOUT_LOAD",
            // marker 0 and a sink that ran (a project set to bulk after it started with Debezium's snapshot)
            "true,  false, false, true,  false, ORDINARY",
    })
    void eachCase(boolean markerZero, boolean loadCompleted, boolean requestPending, boolean sinkExists,
                  boolean sinkAtRest, BulkLoadDecision expected) {
        assertThat(BulkLoadDecision.of(markerZero, loadCompleted, requestPending, sinkExists, sinkAtRest))
                .isEqualTo(expected);
    }
}
