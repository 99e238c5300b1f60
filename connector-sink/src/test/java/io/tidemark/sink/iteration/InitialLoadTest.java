package io.tidemark.sink.iteration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The initial load's figures from the ledger's readings and the source's estimate: never past 100 %, never a guess. */
class InitialLoadTest {

    @Test
    void thePaceIsTheRowsSinceTheEarlierReadingOverItsTimeAndTheEtaTheRowsStillExpectedAtIt() {
        InitialLoad.Reading r = new InitialLoad.Reading("public.orders", 412_000, 30_000L, 10.0, 0.4);
        InitialLoad.Figures f = InitialLoad.Figures.of(r, 1_000_000L);
        assertThat(f.rowsPerSecond()).isEqualTo(38_200.0);
        assertThat(f.progress()).isEqualTo(0.412);
        assertThat(f.etaSeconds()).isEqualTo(16L); // 588,000 / 38,200 = 15.4, rounded up
        assertThat(f.describe()).isEqualTo("412,000 of ~1,000,000 rows (41 %, estimate)  38,200 rows/s  ETA 16 s");
    }

    @Test
    void aStaleEstimateShowsAsReachedNeverBeyondAndGivesNoEta() {
        InitialLoad.Figures f = InitialLoad.Figures.of(new InitialLoad.Reading("t", 1_250, 1_000L, 5.0, 1.0), 1_000L);
        assertThat(f.progress()).isEqualTo(1.0);
        assertThat(f.pastEstimate()).isTrue();
        assertThat(f.etaSeconds()).isNull();
        assertThat(f.describe()).isEqualTo("1,250 of ~1,000 rows (≥ estimate, 100 %)  50 rows/s  ETA -");
    }

    @Test
    void withoutAnEstimateOrAPaceNothingIsGuessed() {
        InitialLoad.Figures unknown = InitialLoad.Figures.of(new InitialLoad.Reading("t", 50, 50L, 0.0, 0.1), null);
        assertThat(unknown.progress()).isNull();
        assertThat(unknown.rowsPerSecond()).as("one reading only").isNull();
        assertThat(unknown.etaSeconds()).isNull();
        assertThat(unknown.describe()).isEqualTo("50 rows of unknown (no estimate)  - rows/s  ETA -");
        InitialLoad.Figures stalled = InitialLoad.Figures.of(new InitialLoad.Reading("t", 500, 100L, 10.0,
                InitialLoad.STALLED_SECONDS + 1), 1_000L);
        assertThat(stalled.rowsPerSecond()).as("no flush for a minute: not moving").isZero();
        assertThat(stalled.etaSeconds()).isNull();
        InitialLoad.Figures nothingYet = InitialLoad.Figures.of(new InitialLoad.Reading("t", 0, null, null, null), 10L);
        assertThat(nothingYet.progress()).isZero();
        assertThat(nothingYet.etaSeconds()).isNull();
    }

    @Test
    void theProjectsSumCountsEachTablesRemainderSoAStaleOneDoesNotHideAnothersRows() {
        InitialLoad.Figures loading = InitialLoad.Figures.of(new InitialLoad.Reading("a", 400, 0L, 10.0, 0.0), 1_000L);
        InitialLoad.Figures stale = InitialLoad.Figures.of(new InitialLoad.Reading("b", 900, 900L, 10.0, 20.0), 100L);
        InitialLoad.Figures sum = InitialLoad.Figures.sum(List.of(loading, stale));
        assertThat(sum.rowsApplied()).isEqualTo(1_300);
        assertThat(sum.rowsExpected()).isEqualTo(1_100L);
        assertThat(sum.pastEstimate()).isFalse();
        assertThat(sum.progress()).isEqualTo(500.0 / 1_100);
        assertThat(sum.rowsPerSecond()).isEqualTo(40.0);
        assertThat(sum.etaSeconds()).isEqualTo(15L); // 600 rows left at 40 rows/s
        InitialLoad.Figures unknown = InitialLoad.Figures.sum(List.of(
                InitialLoad.Figures.of(new InitialLoad.Reading("c", 5, null, null, null), null), loading));
        assertThat(unknown.rowsExpected()).isNull();
        assertThat(unknown.etaSeconds()).isNull();
        assertThat(unknown.rowsPerSecond()).as("a table without a pace adds none").isEqualTo(40.0);
        assertThat(InitialLoad.Figures.duration(10_000)).isEqualTo("2 h 46 min");
        assertThat(InitialLoad.Figures.duration(250)).isEqualTo("4 min 10 s");
    }
}
