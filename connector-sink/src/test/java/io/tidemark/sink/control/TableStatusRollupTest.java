package io.tidemark.sink.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tidemark.common.control.TableStatus;
import io.tidemark.sink.control.TableStatusRollup.PartitionRow;

class TableStatusRollupTest {

    @Test
    void allRunningIsRunningWithoutReason() {
        assertThat(TableStatusRollup.of(List.of(new PartitionRow("t", 0, TableStatus.RUNNING, null, "0"),
                new PartitionRow("t", 1, TableStatus.RUNNING, null, "1"))))
                .isEqualTo(new TableStatusRollup.Rollup(TableStatus.RUNNING, null));
    }

    @Test
    void anyErrorWinsAndTheReasonNamesThePartitionsAndTasks() {
        TableStatusRollup.Rollup rollup = TableStatusRollup.of(List.of(
                new PartitionRow("t", 0, TableStatus.RUNNING, null, "0"),
                new PartitionRow("t", 1, TableStatus.ERROR_ABORTED, "bad record", "1"),
                new PartitionRow("t", 2, TableStatus.ERROR_ABORTED, "bad record", "1"),
                new PartitionRow("t", 3, TableStatus.ERROR_RETRIABLE, "lock timeout", "0")));
        assertThat(rollup.status()).isEqualTo(TableStatus.ERROR_ABORTED);
        assertThat(rollup.reason()).isEqualTo("partitions t-1 (task 1), t-2 (task 1) ERROR_ABORTED: bad record; "
                + "partition t-3 (task 0) ERROR_RETRIABLE: lock timeout; 1 of 4 partitions RUNNING");
    }

    @Test
    void aSinglePartitionKeepsItsOwnReason() {
        assertThat(TableStatusRollup.of(List.of(new PartitionRow("t", 0, TableStatus.ERROR_ABORTED, "why", "0"))))
                .isEqualTo(new TableStatusRollup.Rollup(TableStatus.ERROR_ABORTED, "why"));
    }

    @Test
    void waitingOnlyWhenEveryPartitionWaits() {
        assertThat(TableStatusRollup.of(List.of(new PartitionRow("t", 0, TableStatus.WAITING, null, "0"),
                new PartitionRow("t", 1, TableStatus.RUNNING, null, "1"))).status()).isEqualTo(TableStatus.RUNNING);
        assertThat(TableStatusRollup.of(List.of(new PartitionRow("t", 0, TableStatus.WAITING, null, "0"),
                new PartitionRow("t", 1, TableStatus.WAITING, null, "1"))).status()).isEqualTo(TableStatus.WAITING);
    }
}
