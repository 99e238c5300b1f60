package io.tidemark.sink.license;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The seal over a usage row's meaningful columns. */
class UsageRowTest {

    private static final Instant CREATED = Instant.parse("2027-01-01T00:00:00.123456Z");
    private static final Instant SEEN = Instant.parse("2027-02-01T00:00:00Z");
    private final UsageRow row = UsageRow.sealed("acme", 1234, CREATED, SEEN);

    @Test
    void aSealedRowVerifiesKeptToTheMillisecond() {
        assertThat(row.sealVerifies()).isTrue();
        assertThat(row.seal()).matches("[0-9a-f]{64}");
        assertThat(row.createdAt()).isEqualTo("2027-01-01T00:00:00.123Z");
        assertThat(UsageRow.sealed("acme", 1234, CREATED, SEEN)).isEqualTo(row);
    }

    @Test
    void changingAnyMeaningfulColumnBreaksTheSeal() {
        assertThat(new UsageRow("acme", 1233, row.createdAt(), SEEN, row.seal()).sealVerifies()).isFalse();
        assertThat(new UsageRow("acme", 1234, row.createdAt().plusMillis(1), SEEN, row.seal()).sealVerifies()).isFalse();
        assertThat(new UsageRow("acme", 1234, row.createdAt(), SEEN.minusMillis(1), row.seal()).sealVerifies()).isFalse();
        assertThat(new UsageRow("acme2", 1234, row.createdAt(), SEEN, row.seal()).sealVerifies())
                .as("a row copied from another project").isFalse();
        assertThat(new UsageRow("acme", 1234, row.createdAt(), SEEN, null).sealVerifies()).isFalse();
        assertThat(new UsageRow("acme", 1234, null, null, row.seal()).sealVerifies()).isFalse();
    }

    @Test
    void addingKeepsTheRowSealedAndTheTimeSeenNeverGoesBack() {
        UsageRow more = row.plus(10, SEEN.minusSeconds(60));
        assertThat(more.usedBytes()).isEqualTo(1244);
        assertThat(more.lastSeenAt()).isEqualTo(SEEN);
        assertThat(more.sealVerifies()).isTrue();
        assertThat(row.plus(0, SEEN.plusSeconds(1)).lastSeenAt()).isEqualTo(SEEN.plusSeconds(1));
    }

    @Test
    void absentMeansMissingOrAnUnsealedReportOfNothingUsed() {
        assertThat(UsageRow.absent(null)).isTrue();
        assertThat(UsageRow.absent(new UsageRow("acme", 0, null, null, null))).isTrue();
        assertThat(UsageRow.absent(new UsageRow("acme", 5, null, null, null))).isFalse();
        assertThat(UsageRow.absent(row)).isFalse();
    }
}
