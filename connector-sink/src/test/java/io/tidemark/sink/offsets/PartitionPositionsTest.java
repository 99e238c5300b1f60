package io.tidemark.sink.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.tidemark.sink.offsets.PartitionPositions.Verdict;

/** Where partitions stand, without Kafka or a database. */
class PartitionPositionsTest {

    private final TopicPartition p0 = new TopicPartition("t", 0);
    private final TopicPartition p1 = new TopicPartition("t", 1);
    private final PartitionPositions positions = new PartitionPositions();

    @Test
    void aPartitionIsOwnedOnlyOnceClaimedAndStartsFromTheStoredOffset() {
        positions.assign(List.of(p0));
        assertThat(positions.verdict(p0, 5)).isEqualTo(Verdict.HOLD);
        positions.claimed(Map.of(p0, new OffsetStore.Claim(3, 10L)));
        assertThat(positions.takeRewinds()).containsExactly(Map.entry(p0, 10L));
        positions.beginPut();
        assertThat(positions.verdict(p0, 9)).as("applied already").isEqualTo(Verdict.SKIP);
        assertThat(positions.verdict(p0, 10)).isEqualTo(Verdict.ACCEPT);
        assertThat(positions.epochs(List.of(p0))).containsExactly(Map.entry(p0, 3L));
    }

    @Test
    void recordsHeldBackWhileUnclaimedAreDeliveredAgainOnceClaimed() {
        positions.assign(List.of(p0));
        positions.holdBack(p0, 7);
        positions.holdBack(p0, 5);
        positions.claimed(Map.of(p0, new OffsetStore.Claim(1, null)));
        assertThat(positions.takeRewinds()).containsExactly(Map.entry(p0, 5L));
    }

    @Test
    void aRewindWaitsUntilItCanBeHandedOverAndIsForgottenWhenThePartitionGoes() {
        positions.assign(List.of(p0, p1));
        positions.claimed(Map.of(p0, new OffsetStore.Claim(1, 0L), p1, new OffsetStore.Claim(1, 0L)));
        positions.takeRewinds();
        positions.beginPut();
        // preCommit inside a rebalance asks for rewinds; then close() revokes p1.
        positions.rewind(p0, 4);
        positions.rewind(p1, 2);
        positions.rewind(p0, 3);
        positions.revoke(List.of(p1));
        assertThat(positions.takeRewinds()).as("the earliest, for the partition still owned").containsExactly(Map.entry(p0, 3L));
        assertThat(positions.verdict(p0, 8)).as("the rest of this poll comes again").isEqualTo(Verdict.SKIP);
        positions.beginPut();
        assertThat(positions.verdict(p0, 3)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aRecordBelowTheLastTakenIsADuplicateDelivery() {
        positions.assign(List.of(p0));
        positions.claimed(Map.of(p0, new OffsetStore.Claim(1, null)));
        positions.taken(p0, 4);
        assertThat(positions.verdict(p0, 4)).isEqualTo(Verdict.SKIP);
        assertThat(positions.verdict(p0, 5)).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void aFencedPartitionIsNeitherAppliedNorReportedNorRewound() {
        positions.assign(List.of(p0));
        positions.claimed(Map.of(p0, new OffsetStore.Claim(1, 10L)));
        positions.takeRewinds();
        positions.fence(List.of(p0));
        positions.rewind(p0, 10);
        assertThat(positions.takeRewinds()).isEmpty();
        assertThat(positions.verdict(p0, 11)).isEqualTo(Verdict.SKIP);
        assertThat(positions.reportable()).isEmpty();
        assertThat(positions.epochs(List.of(p0))).isEmpty();
    }

    @Test
    void rewindToTheDatabaseUsesTheStoredOffsetWhenThereIsOne() {
        positions.assign(List.of(p0, p1));
        positions.claimed(Map.of(p0, new OffsetStore.Claim(1, 10L), p1, new OffsetStore.Claim(1, null)));
        positions.takeRewinds();
        positions.rewindToDatabase(p0, 15L);
        positions.rewindToDatabase(p1, 15L);
        assertThat(positions.takeRewinds()).containsOnly(Map.entry(p0, 10L), Map.entry(p1, 15L));
    }
}
