package io.tidemark.quickstart.progress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void aLineSaysTheIterationItsChangesHowLongTheyTookAndTheLicense() {
        assertThat(ProgressLine.of(new CompletedIteration(2, 118, 12, 40_213, 412, false),
                new LicenseUse("TRIAL", 1_234_567, 1_000_000_000L, null)))
                .isEqualTo("iteration 2: 118 upserted, 12 deleted (40.2 kB), applied in 412 ms · license: 1.2 MB of 1 GB (trial, 0.12 %)");
    }

    @Test
    void theFinalIterationAndAKeyAreNamed() {
        assertThat(ProgressLine.of(new CompletedIteration(9, 0, 0, 0, 12_345, true),
                new LicenseUse("LOW", 460_000_000_000L, 500_000_000_000L, "acme-2027-01")))
                .isEqualTo("iteration 9 (final): 0 upserted, 0 deleted (0 B), applied in 12.3 s · license: 460 GB of 500 GB (key acme-2027-01, LOW, 92.00 %)");
    }

    @Test
    void beforeTheFirstFlushThereIsNoUsageRow() {
        assertThat(ProgressLine.license(null)).isEqualTo("no usage recorded yet");
        assertThat(ProgressLine.license(new LicenseUse("OK", 5, null, "k"))).isEqualTo("5 B used (key k, OK)");
        assertThat(ProgressLine.license(new LicenseUse("TRIAL", 20, 1_000_000_000L, null))).isEqualTo("20 B of 1 GB (trial, <0.01 %)");
    }

    @Test
    void bytesInDecimalUnitsAsTheLicenseCountsThem() {
        assertThat(ProgressLine.bytes(999)).isEqualTo("999 B");
        assertThat(ProgressLine.bytes(1000)).isEqualTo("1 kB");
        assertThat(ProgressLine.bytes(41_800)).isEqualTo("41.8 kB");
        assertThat(ProgressLine.bytes(1_000_000_000)).isEqualTo("1 GB");
    }
}
