package io.tidemark.sink.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @Test
    void backsOffDoublingUntilTheTimeIsUpAndASuccessResets() {
        RetrySchedule schedule = new RetrySchedule(new RetryPolicy(1_000, 100, 400));
        assertThat(schedule.due(0)).isTrue();
        assertThat(schedule.failed(0)).isEqualTo(100);
        assertThat(schedule.due(50)).isFalse();
        assertThat(schedule.waitMs(50)).isEqualTo(50);
        assertThat(schedule.failed(100)).isEqualTo(200);
        assertThat(schedule.failed(300)).isEqualTo(400);
        assertThat(schedule.failed(700)).isEqualTo(300); // what is left of the 1,000 ms
        assertThat(schedule.failed(1_000)).isEqualTo(-1);
        assertThat(schedule.failingForMs(1_000)).isEqualTo(1_000);
        schedule.succeeded();
        assertThat(schedule.failing()).isFalse();
        assertThat(schedule.due(1_000)).isTrue();
        assertThat(schedule.failed(2_000)).isEqualTo(100);
    }
}
