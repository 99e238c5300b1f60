package io.tidemark.control.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The source's row estimates as SQL text and as figures. No Oracle runs on the build machines, so the
 * Oracle query is checked as text here (PostgreSQL's runs for real in LoadProgressIT).
 */
class RowEstimatesTest {

    @Test
    void oracleReadsNumRowsOnlyWhenTheTableWasAnalyzedForEveryOwnerAtOnce() {
        assertThat(RowEstimates.oracleSql(2)).isEqualTo("SELECT owner, table_name, CASE WHEN last_analyzed IS NULL"
                + " THEN NULL ELSE num_rows END FROM all_tables WHERE owner IN (?, ?)");
    }

    @Test
    void aCatalogWithoutStatisticsGivesNoEstimate() {
        assertThat(RowEstimates.estimate(false, -1.0)).as("PostgreSQL 14+: never analyzed").isNull();
        assertThat(RowEstimates.estimate(false, 0.0)).as("no statistics yet (or empty: cannot tell)").isNull();
        assertThat(RowEstimates.estimate(false, 999_999.6)).isEqualTo(1_000_000L);
        assertThat(RowEstimates.estimate(true, null)).as("Oracle: NUM_ROWS or LAST_ANALYZED null").isNull();
        assertThat(RowEstimates.estimate(true, 0.0)).as("Oracle analyzed it empty").isZero();
        assertThat(RowEstimates.estimate(true, 42.0)).isEqualTo(42L);
    }
}
